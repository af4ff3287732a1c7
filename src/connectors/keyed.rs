//! The connector profile whose credentials are a fixed set of named values (API keys, an
//! API token, a user name and password, access keys), with the instance URL when the
//! connector has one: one macro, [`keyed_profile!`], writes such a profile's TOML table,
//! model settings and builders, lowering, checks and synthesis from the list of its
//! credentials, so a connector of this shape is its credential list and nothing else.
//!
//! Every credential the schema has for such a connector is required by the schema
//! (`ConnectorProfileCredentials.<Connector>.required`), so a created profile that lacks
//! one gets [`ErrorKind::MissingCredential`] at its table, from TOML and from the Rust
//! API alike.

/// Implements a profile whose credentials are named values. The invocation:
///
/// For a connector `Acme` (its `ConnectorType` variant; `"Acme Cloud"` as messages name it,
/// `acme` its field in the generated `ConnectorProfileProperties` and
/// `ConnectorProfileCredentials`):
///
/// ```text
/// keyed_profile! {
///     /// The settings' doc.
///     AcmeSettings, TomlAcmeProfile: Acme as "Acme Cloud", acme,
///     url AcmeConnectorProfileProperties = "https://api.acme.example",
///     credentials AcmeConnectorProfileCredentials {
///         api_key = "api-key": "the account's API key",
///         application_key = "application-key": "an application key of the account",
///     },
///     check check_profile
/// }
/// ```
///
/// `url ...` is left out for a connector whose profile has no properties, and
/// `private_link true,` (after it) is added for one AppFlow reaches through AWS
/// PrivateLink (`ConnectionMode: Private`). It defines
/// `$settings` (the model's settings, one `Option<Credential>` per credential), one builder
/// per credential on `ConnectorProfile<$settings>`, `$toml` (the TOML table: the shared keys,
/// `instance-url` when there is one, one key per credential), and implements
/// `LowerProfile` and `ProfileConnector`. `$check` (`fn(&$settings, &mut Checker, &Path)`)
/// holds the connector's own rules.
macro_rules! keyed_profile {
    (
        $(#[$doc:meta])*
        $settings:ident, $toml:ident: $connector:ident as $name:literal, $field:ident,
        $( url $properties:ident = $example:literal, )?
        $( private_link $private:literal, )?
        credentials $credentials:ident {
            $( $credential:ident = $key:literal: $what:literal ),* $(,)?
        },
        check $check:expr
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Default, PartialEq, Eq)]
        pub struct $settings {
            $(
                #[doc = concat!("The instance URL, e.g. `", $example, "`.")]
                pub(crate) instance_url: $crate::model::Text,
            )?
            $(
                #[doc = concat!("`", $key, "`: ", $what, ".")]
                pub(crate) $credential: Option<$crate::model::Credential>,
            )*
        }

        impl $crate::connectors::common::ConnectorProfile<$settings> {
            $(
                #[doc = concat!("Sets ", $what, " (TOML `", $key, "`), a secret's key or a `NoEcho` parameter.")]
                pub fn $credential(self, credential: $crate::model::Credential) -> Self {
                    self.configure(|settings| settings.$credential = Some(credential))
                }
            )*
        }

        #[doc = concat!("`[profile.<name>.", stringify!($field), "]`: a ", $name, " profile.")]
        #[derive(Debug, serde::Deserialize)]
        #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
        #[serde(deny_unknown_fields, rename_all = "kebab-case")]
        pub struct $toml {
            /// An existing profile, by name or ARN; no other key may be set then.
            pub import: Option<$crate::input::raw::Sp<String>>,
            $(
                #[doc = concat!("The instance's URL, e.g. `", $example, "`, or a reference to it.")]
                // `pattern` and `maxLength` constrain only a string: a reference table passes them.
                #[cfg_attr(feature = "schema", schemars(extend("pattern" = r"^https://\S+$", "maxLength" = 256)))]
                pub instance_url: Option<$crate::input::raw::Sp<$crate::input::raw::TomlText>>,
            )?
            /// The KMS key (a `[key.<name>]`) the profile's credentials are encrypted with.
            pub key: Option<$crate::input::raw::Sp<String>>,
            /// The physical profile name (default `<stack>-<name>`).
            pub profile_name: Option<$crate::input::raw::Sp<String>>,
            /// Connect through AWS PrivateLink (`ConnectionMode: Private`), for the
            /// connectors AppFlow integrates with it.
            pub private: Option<$crate::input::raw::Sp<bool>>,
            $(
                #[doc = concat!(
                    "Required: ", $what,
                    ", as `{ secret = \"...\", key = \"...\" }` or `{ parameter = \"...\" }`."
                )]
                #[serde(rename = $key)]
                pub $credential: Option<$crate::input::raw::Sp<$crate::input::raw::TomlCredential>>,
            )*
        }

        impl $crate::connectors::LowerProfile for $crate::connectors::common::ConnectorProfile<$settings> {
            const CONNECTOR: $crate::connectors::ConnectorType = $crate::connectors::ConnectorType::$connector;
            type Toml = $toml;

            fn lower(
                lowerer: &mut $crate::input::lower::Lowerer,
                name: &str,
                at: &$crate::input::lower::At,
                raw: &$crate::input::raw::Sp<$toml>,
            ) -> Option<Self> {
                let table = raw.get();
                let keys = $crate::connectors::common::ProfileKeys {
                    import: &table.import,
                    key: &table.key,
                    profile_name: &table.profile_name,
                    private: &table.private,
                };
                let others = false $( || { let _: &str = $example; table.instance_url.is_some() } )?
                    $( || table.$credential.is_some() )*;
                $crate::connectors::common::lower_profile(lowerer, name, at, raw.span(), keys, others, |lowerer| {
                    #[allow(unused_mut)]
                    let mut settings = $settings::default();
                    $(
                        let Some(url) = &table.instance_url else {
                            let error = $crate::input::InputError::MissingInstanceUrl { example: $example };
                            lowerer.error(error, raw.span());
                            return None;
                        };
                        settings.instance_url = lowerer.text(&at.key("instance-url"), url);
                    )?
                    let slots = [ $( ($key, &table.$credential, &mut settings.$credential), )* ];
                    $crate::connectors::common::lower_credentials(lowerer, name, at, slots);
                    Some($crate::connectors::common::ConnectorProfile::owned(name, settings))
                })
            }
        }

        impl $crate::connectors::ProfileConnector for $settings {
            // Each missing credential is reported by `check`, by its key: "no credentials"
            // would not say which.
            fn has_credentials(&self) -> bool {
                true
            }

            fn supports_private_connection(&self) -> bool {
                false $( || $private )?
            }

            fn credentials(&self) -> Vec<(&'static [&'static str], &$crate::model::Credential)> {
                let mut found: Vec<(&'static [&'static str], &$crate::model::Credential)> = Vec::new();
                $(
                    if let Some(credential) = &self.$credential {
                        found.push((&[$key], credential));
                    }
                )*
                found
            }

            fn texts(&self) -> Vec<(&'static [&'static str], &$crate::model::Text)> {
                #[allow(unused_mut)]
                let mut texts: Vec<(&'static [&'static str], &$crate::model::Text)> = Vec::new();
                $(
                    let _: &str = $example;
                    texts.push((&["instance-url"], &self.instance_url));
                )?
                texts
            }

            fn check(&self, checker: &mut $crate::model::validate::Checker<'_>, path: &$crate::model::Path) {
                $(
                    if let Some(url) = self.instance_url.literal() {
                        $crate::connectors::common::check_instance_url(checker, &path.key("instance-url"), url, $example);
                    }
                )?
                $(
                    if self.$credential.is_none() {
                        let error = $crate::model::ErrorKind::MissingCredential {
                            connector: $name,
                            key: $key,
                            what: $what,
                        };
                        checker.error(path.clone(), error);
                    }
                )*
                let check: fn(&$settings, &mut $crate::model::validate::Checker<'_>, &$crate::model::Path) = $check;
                check(self, checker, path);
            }

            fn synthesize(
                &self,
                synth: &mut $crate::synth::Synth<'_>,
                _profile: &str,
            ) -> (
                $crate::cfn::generated::connector_profile::ConnectorProfileProperties,
                $crate::cfn::generated::connector_profile::ConnectorProfileCredentials,
            ) {
                use $crate::cfn::generated::connector_profile as profile;
                // A connector without properties still gets `ConnectorProfileProperties: {}`:
                // the AppFlow API requires the member (CreateConnectorProfile,
                // ConnectorProfileConfig: "ConnectorProfileProperties ... Required: Yes"),
                // and the schema has no entry of its own for it.
                #[allow(unused_mut)]
                let mut properties = profile::ConnectorProfileProperties::default();
                $(
                    properties.$field = Some(Box::new(profile::$properties {
                        instance_url: synth.text(&self.instance_url),
                    }));
                )?
                // Validation reports a missing credential before synthesis runs: `NoValue`
                // stands only for one no valid stack lacks.
                let credentials = profile::ConnectorProfileCredentials {
                    $field: Some(Box::new(profile::$credentials {
                        $(
                            $credential: self
                                .$credential
                                .as_ref()
                                .map_or($crate::cfn::Expr::no_value(), |credential| synth.credential(credential)),
                        )*
                    })),
                    ..Default::default()
                };
                (properties, credentials)
            }
        }
    };
}
pub(crate) use keyed_profile;
