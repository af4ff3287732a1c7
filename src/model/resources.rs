//! Buckets, KMS keys, secrets and Customer Profiles domains: each either owned (created by the stack) or imported
//! (existing, by name or ARN), and the typed references flows and profiles hold to them.
//!
//! A reference is just the name the resource has in the stack; validation checks that it
//! resolves, so references can be written before (or without) the thing they name.

use std::collections::BTreeMap;

/// Whether the stack creates a resource or uses one that already exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Created (and owned) by the stack.
    Owned,
    /// Existing, identified by name (or key ID) or by ARN.
    Imported(String),
}

macro_rules! reference_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub(crate) String);

        impl $name {
            /// A reference to the resource with this name in the stack.
            pub fn named(name: impl Into<String>) -> Self {
                $name(name.into())
            }

            /// The name it refers to.
            pub fn name(&self) -> &str {
                &self.0
            }
        }

        impl From<&$name> for $name {
            fn from(value: &$name) -> Self {
                value.clone()
            }
        }
    };
}

reference_type!(
    /// A reference to a [`Bucket`] of the stack.
    BucketRef
);
reference_type!(
    /// A reference to a [`Key`] of the stack.
    KeyRef
);
reference_type!(
    /// A reference to a [`Secret`] of the stack.
    SecretRef
);
reference_type!(
    /// A reference to a connector profile of the stack.
    ProfileRef
);
reference_type!(
    /// A reference to a [`Domain`] of the stack.
    DomainRef
);

/// An S3 bucket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bucket {
    pub(crate) name: String,
    pub(crate) origin: Origin,
    pub(crate) bucket_name: Option<String>,
    pub(crate) key: Option<KeyRef>,
    pub(crate) retain: Option<bool>,
}

impl Bucket {
    /// A bucket the stack creates; CloudFormation picks its physical name.
    pub fn owned(name: impl Into<String>) -> Self {
        Bucket {
            name: name.into(),
            origin: Origin::Owned,
            bucket_name: None,
            key: None,
            retain: None,
        }
    }

    /// An existing bucket, by bucket name or ARN (`arn:aws:s3:::my-bucket`).
    pub fn imported(name: impl Into<String>, bucket: impl Into<String>) -> Self {
        Bucket {
            name: name.into(),
            origin: Origin::Imported(bucket.into()),
            bucket_name: None,
            key: None,
            retain: None,
        }
    }

    /// Whether a created bucket is kept when the stack is deleted or it is replaced,
    /// whatever the stack's [`Retention`](crate::model::Retention) default says.
    pub fn retain(mut self, retain: bool) -> Self {
        self.retain = Some(retain);
        self
    }

    /// Gives an owned bucket this physical name.
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let mut stack = Stack::new("crm");
    /// let key = stack.add_key(Key::owned("lake").description("encrypts the lake"));
    /// let lake = stack.add_bucket(Bucket::owned("lake").bucket_name("acme-crm-lake").encryption_key(&key));
    /// let exports = stack.add_bucket(Bucket::imported("exports", "acme-exports"));
    /// assert_eq!(lake.name(), "lake");
    /// assert_eq!(exports.name(), "exports");
    /// ```
    pub fn bucket_name(mut self, bucket_name: impl Into<String>) -> Self {
        self.bucket_name = Some(bucket_name.into());
        self
    }

    /// Encrypts an owned bucket with this key (SSE-KMS), or declares the key an imported
    /// bucket is encrypted with, so AppFlow is granted use of it.
    pub fn encryption_key(mut self, key: impl Into<KeyRef>) -> Self {
        self.key = Some(key.into());
        self
    }

    /// The bucket's name in the stack.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Owned or imported.
    pub fn origin(&self) -> &Origin {
        &self.origin
    }
}

/// A KMS key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    pub(crate) name: String,
    pub(crate) origin: Origin,
    pub(crate) description: Option<String>,
    pub(crate) retain: Option<bool>,
}

impl Key {
    /// A customer-managed key the stack creates (with rotation on).
    pub fn owned(name: impl Into<String>) -> Self {
        Key {
            name: name.into(),
            origin: Origin::Owned,
            description: None,
            retain: None,
        }
    }

    /// An existing key, by key ID or ARN.
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let by_id = Key::imported("shared", "1234abcd-12ab-34cd-56ef-1234567890ab");
    /// let by_arn = Key::imported("other", "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab");
    /// assert_eq!((by_id.name(), by_arn.name()), ("shared", "other"));
    /// ```
    pub fn imported(name: impl Into<String>, key: impl Into<String>) -> Self {
        Key {
            name: name.into(),
            origin: Origin::Imported(key.into()),
            description: None,
            retain: None,
        }
    }

    /// Whether a created key (kept keys are not scheduled for deletion) is kept when the stack is deleted or it is replaced,
    /// whatever the stack's [`Retention`](crate::model::Retention) default says.
    pub fn retain(mut self, retain: bool) -> Self {
        self.retain = Some(retain);
        self
    }

    /// The description of an owned key.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// The key's name in the stack.
    pub fn name(&self) -> &str {
        &self.name
    }
}

/// A Secrets Manager secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Secret {
    pub(crate) name: String,
    pub(crate) origin: Origin,
    pub(crate) secret_name: Option<String>,
    pub(crate) key: Option<KeyRef>,
    /// The JSON keys of an owned secret's value, each with the `NoEcho` parameter its
    /// value comes from.
    pub(crate) values: BTreeMap<String, String>,
    pub(crate) retain: Option<bool>,
}

impl Secret {
    /// A secret the stack creates. Without [`Secret::value_from_parameter`] it is created
    /// empty, and nothing in the stack may read it: CloudFormation creates a profile that
    /// reads it in the same operation, before anyone could fill it in.
    pub fn owned(name: impl Into<String>) -> Self {
        Secret {
            name: name.into(),
            origin: Origin::Owned,
            secret_name: None,
            key: None,
            values: BTreeMap::new(),
            retain: None,
        }
    }

    /// An existing secret, by name or full ARN (with the 6-character suffix Secrets
    /// Manager appends).
    pub fn imported(name: impl Into<String>, secret: impl Into<String>) -> Self {
        Secret {
            name: name.into(),
            origin: Origin::Imported(secret.into()),
            secret_name: None,
            key: None,
            values: BTreeMap::new(),
            retain: None,
        }
    }

    /// Whether a created secret is kept when the stack is deleted or it is replaced,
    /// whatever the stack's [`Retention`](crate::model::Retention) default says.
    pub fn retain(mut self, retain: bool) -> Self {
        self.retain = Some(retain);
        self
    }

    /// Gives an owned secret the JSON key `json_key`, whose value the deployer passes as
    /// the `NoEcho` template parameter `parameter`. The secret's `SecretString` is then
    /// written in the template as an `Fn::Sub` over those parameters, so it holds its
    /// value in the same deploy that creates it, and no value is ever in the template.
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let mut stack = Stack::new("crm");
    /// // Created by the stack, its value from `NoEcho` parameters: never in the template.
    /// let app = stack.add_secret(
    ///     Secret::owned("sf-app")
    ///         .secret_name("crm/crm-app")
    ///         .value_from_parameter("clientId", "SfClientId")
    ///         .value_from_parameter("clientSecret", "SfClientSecret"),
    /// );
    /// let imported = stack.add_secret(Secret::imported(
    ///     "tokens",
    ///     "arn:aws:secretsmanager:eu-west-1:123456789012:secret:crm/tokens-AbCdEf",
    /// ));
    /// assert_eq!((app.name(), imported.name()), ("sf-app", "tokens"));
    /// ```
    pub fn value_from_parameter(mut self, json_key: impl Into<String>, parameter: impl Into<String>) -> Self {
        self.values.insert(json_key.into(), parameter.into());
        self
    }

    /// Gives an owned secret this physical name.
    pub fn secret_name(mut self, secret_name: impl Into<String>) -> Self {
        self.secret_name = Some(secret_name.into());
        self
    }

    /// Encrypts an owned secret with this key, or declares the key an imported secret is
    /// encrypted with, so AppFlow is granted use of it.
    pub fn encryption_key(mut self, key: impl Into<KeyRef>) -> Self {
        self.key = Some(key.into());
        self
    }

    /// The secret's name in the stack.
    pub fn name(&self) -> &str {
        &self.name
    }
}

/// An Amazon Connect Customer Profiles domain (`AWS::CustomerProfiles::Domain`): where the
/// flows of a Customer Profiles destination put their records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Domain {
    pub(crate) name: String,
    pub(crate) origin: Origin,
    pub(crate) domain_name: Option<String>,
    pub(crate) expiration_days: Option<u32>,
    pub(crate) key: Option<KeyRef>,
    pub(crate) dead_letter_queue: Option<String>,
    pub(crate) object_types: Vec<String>,
}

impl Domain {
    /// A domain the stack creates, keeping profile data `expiration_days` days
    /// (`DefaultExpirationDays`, 1 to 1098).
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let domain = Domain::owned("customers", 365).domain_name("acme-customers").encryption_key(KeyRef::named("profiles"));
    /// let existing = Domain::imported("shared", "acme-customers");
    /// assert_eq!((domain.name(), existing.name()), ("customers", "shared"));
    /// ```
    pub fn owned(name: impl Into<String>, expiration_days: u32) -> Self {
        Domain {
            name: name.into(),
            origin: Origin::Owned,
            domain_name: None,
            expiration_days: Some(expiration_days),
            key: None,
            dead_letter_queue: None,
            object_types: Vec::new(),
        }
    }

    /// An existing domain, by its name.
    pub fn imported(name: impl Into<String>, domain_name: impl Into<String>) -> Self {
        Domain {
            name: name.into(),
            origin: Origin::Imported(domain_name.into()),
            domain_name: None,
            expiration_days: None,
            key: None,
            dead_letter_queue: None,
            object_types: Vec::new(),
        }
    }

    /// An object type the stack creates in the domain from Customer Profiles' template of
    /// the same name (`aws customer-profiles list-profile-object-type-templates` lists
    /// them), for the flows that write it.
    pub fn object_type(mut self, template: impl Into<String>) -> Self {
        self.object_types.push(template.into());
        self
    }

    /// The physical name of an owned domain (default `<stack>-<name>`).
    pub fn domain_name(mut self, domain_name: impl Into<String>) -> Self {
        self.domain_name = Some(domain_name.into());
        self
    }

    /// The KMS key an owned domain encrypts its data with (`DefaultEncryptionKey`).
    pub fn encryption_key(mut self, key: impl Into<KeyRef>) -> Self {
        self.key = Some(key.into());
        self
    }

    /// The SQS queue an owned domain reports failed ingestion to (`DeadLetterQueueUrl`).
    pub fn dead_letter_queue(mut self, url: impl Into<String>) -> Self {
        self.dead_letter_queue = Some(url.into());
        self
    }

    /// The domain's name in the stack.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Owned or imported.
    pub fn origin(&self) -> &Origin {
        &self.origin
    }
}
