//! Stack splitting: one model → as many CloudFormation stacks as its size needs, with
//! every flow staying in the stack it was first placed in.
//!
//! # Limits
//!
//! CloudFormation quotas (<https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html>):
//! 500 resources, 200 outputs and 200 parameters per template, and a template body of at
//! most 1 MB when uploaded to S3 (51,200 bytes when passed inline). With two outputs per
//! flow (its name and ARN), the output quota is usually the one that binds: about 95
//! flows fit in one stack.
//!
//! # Layout
//!
//! The main stack keeps the stack's name and holds every shared resource (buckets, keys,
//! secrets, connector profiles, Glue databases, their policies) plus as many flows as fit.
//! Further flows go to `<stack>-flows-1`, `<stack>-flows-2`, ... which reference the shared
//! resources through exports of the main stack (`Fn::ImportValue`). Exports rather than
//! parameters because each template then still deploys with a plain
//! `aws cloudformation deploy` (no parameters to pass), CloudFormation refuses to delete a
//! shared resource a flow stack still imports, and the import fixes the deploy order
//! (main stack first, so bucket policies exist before the flows AppFlow validates).
//!
//! # Stability
//!
//! Moving a flow to another stack deletes and recreates it, losing its run history, so a
//! flow must never move because other flows were added or removed. Placement is recorded
//! in a [`Lock`] (the CLI keeps it in `<file>.lock`, to be committed): a flow in the lock
//! stays where the lock says; a new flow goes, in file order, to the first stack with
//! room, the main stack first; a stack whose flows were all removed is dropped (and should
//! be destroyed), and its number is not reused while the lock remembers a higher one.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

use serde::{Deserialize, Serialize};

use crate::cfn::{Export, Expr, Output, ResourceProperties, Template};
use crate::model::{ErrorKind, ModelError, Path};
use crate::permissions::Granted;
use crate::synth::{FlowEntries, synthesize_parts};

/// Most resources one template may declare.
pub const MAX_RESOURCES: usize = 500;
/// Most outputs one template may declare.
pub const MAX_OUTPUTS: usize = 200;
/// Most parameters one template may declare.
pub const MAX_PARAMETERS: usize = 200;
/// Largest template body CloudFormation accepts (uploaded to S3).
pub const MAX_TEMPLATE_BYTES: usize = 1_048_576;
/// Largest template body CloudFormation accepts inline (bigger ones must go through S3).
pub const MAX_INLINE_TEMPLATE_BYTES: usize = 51_200;
/// The share of the byte limit a split stack is filled to, so its flows can grow a little.
const BYTE_BUDGET: usize = MAX_TEMPLATE_BYTES / 10 * 9;
/// Bytes an imported reference adds over a local one, per flow (an upper bound).
const IMPORT_OVERHEAD: usize = 400;

/// Which stack each flow lives in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lock {
    flows: BTreeMap<String, String>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct LockFile {
    version: u32,
    #[serde(default)]
    flows: BTreeMap<String, String>,
}

impl Lock {
    /// Reads a lock file's text.
    pub fn parse(text: &str) -> Result<Lock, String> {
        let file: LockFile = toml::from_str(text).map_err(|e| e.message().to_owned())?;
        if file.version != 1 {
            return Err(format!("unsupported lock file version {}", file.version));
        }
        Ok(Lock { flows: file.flows })
    }

    /// The lock file's text.
    pub fn to_toml(&self) -> String {
        let file = LockFile {
            version: 1,
            flows: self.flows.clone(),
        };
        let body = toml::to_string(&file).unwrap_or_default();
        format!(
            "# flowform lock file: the CloudFormation stack each flow lives in.\n\
             # Written by `flowform synth`; commit it. A flow never leaves the stack it was placed in.\n{body}"
        )
    }

    /// The stack `flow` is placed in, if the lock knows it.
    pub fn stack_of(&self, flow: &str) -> Option<&str> {
        self.flows.get(flow).map(String::as_str)
    }

    /// Every flow and its stack.
    pub fn flows(&self) -> &BTreeMap<String, String> {
        &self.flows
    }

    /// The same placements with the stacks of `from` (`from`, `from-flows-N`) named for
    /// `to` (`to`, `to-flows-N`); other stacks' names are kept, so they are still caught
    /// as foreign.
    fn renamed(&self, from: &str, to: &str) -> Lock {
        let flows = self
            .flows
            .iter()
            .map(|(flow, stack)| {
                let stack = match stack_number(from, stack) {
                    LockedStack::Number(number) => stack_name(to, number),
                    LockedStack::BadNumber | LockedStack::Foreign => stack.clone(),
                };
                (flow.clone(), stack)
            })
            .collect();
        Lock { flows }
    }
}

/// One stack's template and the flows in it.
#[derive(Debug, Clone, PartialEq)]
pub struct StackTemplate {
    /// The CloudFormation stack name.
    pub stack: String,
    /// The template.
    pub template: Template,
    /// The flows it holds, in model order.
    pub flows: Vec<String>,
    /// The stack's tags (`[stack] tags`), for the CloudFormation stack itself as well as
    /// its resources.
    pub tags: BTreeMap<String, String>,
}

impl StackTemplate {
    /// The activation parameters of its flows awaiting activation (`<Flow>FlowStatus`,
    /// `Draft` until what the flow writes to exists, then `Active`).
    pub fn activation_parameters(&self) -> Vec<&str> {
        self.template
            .parameters
            .iter()
            .filter(|(name, parameter)| {
                crate::model::names::is_status_parameter(name) && parameter.allowed_values.iter().any(|v| v == "Active")
            })
            .map(|(name, _)| name.as_str())
            .collect()
    }

    /// The file name templates are written to: `<stack>.template.<extension>`.
    pub fn file_name(&self, extension: &str) -> String {
        format!("{}.template.{extension}", self.stack)
    }
}

/// The result of splitting: the templates, main stack first, and the updated lock.
#[derive(Debug, Clone, PartialEq)]
pub struct Split {
    /// The templates, in deploy order: the main stack, then `<stack>-flows-N` by N.
    pub templates: Vec<StackTemplate>,
    /// Where every flow now lives.
    pub lock: Lock,
    /// The stacks the given lock placed flows in that hold none now (every flow of theirs
    /// was removed): no template is made for them, and a deployed one should be deleted,
    /// or its flows keep running.
    pub emptied: Vec<String>,
}

/// What a piece of a template costs against the quotas.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Cost {
    resources: usize,
    outputs: usize,
    parameters: usize,
    bytes: usize,
}

impl Cost {
    fn plus(self, other: Cost) -> Cost {
        Cost {
            resources: self.resources + other.resources,
            outputs: self.outputs + other.outputs,
            parameters: self.parameters + other.parameters,
            bytes: self.bytes + other.bytes,
        }
    }

    fn fits(self) -> bool {
        self.resources <= MAX_RESOURCES
            && self.outputs <= MAX_OUTPUTS
            && self.parameters <= MAX_PARAMETERS
            && self.bytes <= BYTE_BUDGET
    }
}

/// A flow's own part of the template (its resources, parameters and outputs) and what
/// it costs.
struct Unit<'v> {
    flow: &'v str,
    entries: FlowEntries,
    cost: Cost,
}

/// A stack being filled.
struct Bin {
    number: usize,
    cost: Cost,
    units: Vec<usize>,
}

/// Counts the bytes serde_json writes, without keeping them.
struct ByteCounter(usize);

impl Write for ByteCounter {
    fn write(&mut self, buffer: &[u8]) -> std::io::Result<usize> {
        self.0 += buffer.len();
        Ok(buffer.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Bytes of `value` as a template's pretty JSON (into a counter: nothing is kept).
fn pretty_bytes<T: Serialize + ?Sized>(value: &T) -> usize {
    let mut counter = ByteCounter(0);
    // The template types serialize without error (string keys only); were one to fail,
    // the bytes written until then are still a count.
    let _ = crate::cfn::template::write_pretty(&mut counter, value);
    counter.0
}

/// `{"": {"": value}}`: `value` as serde_json writes it two levels deep, as an entry of a
/// template's section is.
struct Nested<'v, T: ?Sized>(&'v T);

impl<T: Serialize + ?Sized> Serialize for Nested<'_, T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        struct Inner<'v, T: ?Sized>(&'v T);
        impl<T: Serialize + ?Sized> Serialize for Inner<'_, T> {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut map = serializer.serialize_map(Some(1))?;
                map.serialize_entry("", self.0)?;
                map.end()
            }
        }
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry("", &Inner(self.0))?;
        map.end()
    }
}

/// What [`Nested`] writes around its value: `{\n  "": {\n    "": ` and `\n  }\n}`.
const NESTED_OVERHEAD: usize = 24;

/// Pretty-JSON size of `value` nested two levels deep in a template (an entry of a
/// section): its indented value, its indented key and `: `, and 4 bytes for the `,\n`
/// before it (2 to spare).
fn entry_bytes<T: Serialize>(key: &str, value: &T) -> usize {
    pretty_bytes(&Nested(value)) - NESTED_OVERHEAD + 4 + key.len() + 8
}

/// [`entry_bytes`] of every entry of a section.
fn section_bytes<'e, V: Serialize + 'e>(entries: impl Iterator<Item = (&'e String, &'e V)>) -> usize {
    entries.map(|(id, value)| entry_bytes(id, value)).sum()
}

/// Synthesizes a validated, permission-granted model into as many stacks as the quotas
/// require, keeping every flow in the stack `lock` places it in.
pub fn synthesize_split(granted: &Granted, lock: &Lock) -> Result<Split, Vec<ModelError>> {
    let (shared, units) = synthesize_parts(granted, |flow, entries| unit(flow.name(), entries));
    let stack = granted.validated().stack();
    let main = stack.name().to_owned();
    let locked_elsewhere = units
        .iter()
        .any(|unit| lock.stack_of(unit.flow).is_some_and(|s| s != main));
    let counted = Cost {
        resources: shared.resources.len(),
        outputs: shared.outputs.len(),
        parameters: shared.parameters.len(),
        bytes: 0,
    };
    let whole = units.iter().fold(counted, |cost, unit| cost.plus(unit.cost));
    // Flows measured as if imported: less their import overhead, the bytes are an upper
    // bound of the single template's (a few bytes of section braces to spare).
    let whole_bytes = pretty_bytes(&shared) + whole.bytes - units.len() * IMPORT_OVERHEAD + 256;
    let counts = Cost { bytes: 0, ..whole };
    if !locked_elsewhere && counts.fits() && whole_bytes < MAX_TEMPLATE_BYTES {
        let mut full = shared;
        FlowEntries::add_all(units.into_iter().map(|unit| unit.entries).collect(), &mut full);
        full.canonicalize();
        let emptied = emptied(lock, &main);
        let lock = Lock {
            flows: stack
                .flows()
                .iter()
                .map(|f| (f.name().to_owned(), main.clone()))
                .collect(),
        };
        let templates = vec![StackTemplate {
            stack: main,
            template: full,
            flows: stack.flows().iter().map(|f| f.name().to_owned()).collect(),
            tags: stack.tags.clone(),
        }];
        return Ok(Split {
            templates,
            lock,
            emptied,
        });
    }
    let bins = assign(&main, &units, shared_cost(&shared), lock)?;
    let mut split = build(&main, shared, units, &bins);
    for template in &mut split.templates {
        template.tags.clone_from(&stack.tags);
    }
    split.emptied = emptied(lock, &main)
        .into_iter()
        .filter(|stack| split.templates.iter().all(|t| &t.stack != stack))
        .collect();
    Ok(split)
}

/// [`synthesize_split`] for a stack deployed under another name than the one its file
/// declares, `declared` (an environment: `flowform deploy --stack crm-dev`). The lock
/// names the declared stacks (`crm`, `crm-flows-1`) and the split's lock does too, so one
/// committed lock serves every environment; the templates are named for the deployed
/// stack (`crm-dev`, `crm-dev-flows-1`).
pub fn synthesize_split_as(granted: &Granted, declared: &str, lock: &Lock) -> Result<Split, Vec<ModelError>> {
    let deployed = granted.validated().stack().name();
    if deployed == declared {
        return synthesize_split(granted, lock);
    }
    let mut split = synthesize_split(granted, &lock.renamed(declared, deployed))?;
    split.lock = split.lock.renamed(deployed, declared);
    Ok(split)
}

/// The flow stacks of `main` that `lock` places flows in (the main stack always has a
/// template, so it is never emptied).
fn emptied(lock: &Lock, main: &str) -> Vec<String> {
    let stacks: std::collections::BTreeSet<&String> = lock
        .flows
        .values()
        .filter(|stack| matches!(stack_number(main, stack), LockedStack::Number(n) if n > 0))
        .collect();
    stacks.into_iter().cloned().collect()
}

/// A flow's unit: the entries it owns and what they cost.
fn unit(flow: &str, entries: FlowEntries) -> Unit<'_> {
    let bytes = section_bytes(entries.resources.iter().map(|(id, resource)| (id, resource)))
        + section_bytes(entries.parameters.iter().map(|(id, parameter)| (id, parameter)))
        + section_bytes(entries.conditions.iter().map(|(id, condition)| (id, condition)))
        + section_bytes(entries.outputs.iter().map(|(id, output)| (id, output)))
        + IMPORT_OVERHEAD;
    let cost = Cost {
        resources: entries.resources.len(),
        outputs: entries.outputs.len(),
        parameters: entries.parameters.len(),
        bytes,
    };
    Unit { flow, entries, cost }
}

/// Whether a shared resource can be imported by flow stacks (and so may need an export).
fn exportable(properties: &ResourceProperties) -> bool {
    matches!(
        properties,
        ResourceProperties::Bucket(_)
            | ResourceProperties::KmsKey(_)
            | ResourceProperties::ConnectorProfile(_)
            | ResourceProperties::GlueDatabase(_)
            | ResourceProperties::CustomerProfilesDomain(_)
            | ResourceProperties::SnsTopic(_)
            | ResourceProperties::SqsQueue(_)
            | ResourceProperties::IamRole(_)
    )
}

/// The main stack's cost before any flow: the `shared` resources, their outputs, and an
/// export for every shared value a flow stack might import.
fn shared_cost(shared: &Template) -> Cost {
    let mut cost = Cost {
        bytes: 1_024,
        ..Cost::default()
    };
    for (id, resource) in &shared.resources {
        cost.resources += 1;
        cost.bytes += entry_bytes(id, resource);
        if exportable(&resource.properties) {
            cost.outputs += 1;
            cost.bytes += 200;
        }
    }
    cost.parameters += shared.parameters.len();
    cost.bytes += section_bytes(shared.parameters.iter());
    cost.outputs += shared.outputs.len();
    cost.bytes += section_bytes(shared.outputs.iter());
    cost
}

/// `<main>-flows-<n>`, or the main stack for 0.
fn stack_name(main: &str, number: usize) -> String {
    if number == 0 {
        main.to_owned()
    } else {
        format!("{main}-flows-{number}")
    }
}

/// The most flow stacks one stack splits into: CloudFormation's default quota is 2,000
/// stacks per account and region (CloudFormation quotas), and a number bounded here can
/// never overflow the next one. With the 116 characters a split stack's name may have, the
/// longest flow stack name, `<main>-flows-2000`, stays within CloudFormation's 128.
pub const MAX_FLOW_STACKS: usize = 2000;

/// What the lock says a flow's stack is.
#[derive(Debug, PartialEq, Eq)]
enum LockedStack {
    /// One of this stack's: the main stack is 0, `<main>-flows-<n>` is `n`.
    Number(usize),
    /// Named like this stack's flow stacks, but not with a number flowform writes (a sign,
    /// leading zeros, 0, or past [`MAX_FLOW_STACKS`]).
    BadNumber,
    /// Another stack's.
    Foreign,
}

/// What `stack` is to `main`. Only the numbers flowform writes are read: `crm-flows-03` or
/// `crm-flows-+3` would otherwise be read as `crm-flows-3` and rewritten as such, and a
/// huge number would overflow the next stack's.
fn stack_number(main: &str, stack: &str) -> LockedStack {
    if stack == main {
        return LockedStack::Number(0);
    }
    let Some(digits) = stack.strip_prefix(main).and_then(|rest| rest.strip_prefix("-flows-")) else {
        return LockedStack::Foreign;
    };
    let canonical = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) && !digits.starts_with('0');
    match digits.parse::<usize>() {
        Ok(number) if canonical && (1..=MAX_FLOW_STACKS).contains(&number) => LockedStack::Number(number),
        _ => LockedStack::BadNumber,
    }
}

fn assign(main: &str, units: &[Unit], shared: Cost, lock: &Lock) -> Result<Vec<Bin>, Vec<ModelError>> {
    let mut errors = Vec::new();
    let stack_path = Path::root().key("stack").key("name");
    if stack_name(main, 1).len() + 4 > 128 {
        let reason = "it leaves no room for the `-flows-N` suffix of split stacks".to_owned();
        let rule = "a stack that needs splitting must have a name of at most 120 characters".to_owned();
        return Err(vec![ModelError::new(
            stack_path,
            ErrorKind::InvalidName {
                kind: "stack",
                name: main.to_owned(),
                reason,
                rule,
            },
        )]);
    }
    let mut bins: BTreeMap<usize, Bin> = BTreeMap::new();
    bins.insert(
        0,
        Bin {
            number: 0,
            cost: shared,
            units: Vec::new(),
        },
    );
    let mut unlocked = Vec::new();
    for (index, unit) in units.iter().enumerate() {
        match lock.stack_of(unit.flow) {
            Some(stack) => match stack_number(main, stack) {
                LockedStack::Number(number) => {
                    let bin = bins.entry(number).or_insert(Bin {
                        number,
                        cost: Cost::default(),
                        units: Vec::new(),
                    });
                    bin.cost = bin.cost.plus(unit.cost);
                    bin.units.push(index);
                }
                LockedStack::BadNumber => errors.push(ModelError::new(
                    Path::root().key("flow").key(unit.flow),
                    ErrorKind::LockedStackNumber {
                        flow: unit.flow.to_owned(),
                        stack: stack.to_owned(),
                        max: MAX_FLOW_STACKS,
                    },
                )),
                LockedStack::Foreign => errors.push(ModelError::new(
                    Path::root().key("flow").key(unit.flow),
                    ErrorKind::ForeignLockedStack {
                        flow: unit.flow.to_owned(),
                        stack: stack.to_owned(),
                        main: main.to_owned(),
                    },
                )),
            },
            None => unlocked.push(index),
        }
    }
    for bin in bins.values().filter(|bin| !bin.cost.fits()) {
        errors.push(ModelError::new(
            stack_path.clone(),
            ErrorKind::StackFull {
                stack: stack_name(main, bin.number),
            },
        ));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    // Numbers of stacks the lock remembers are not reused while higher ones exist.
    let mut next = lock
        .flows()
        .values()
        .filter_map(|s| match stack_number(main, s) {
            LockedStack::Number(number) => Some(number),
            _ => None,
        })
        .max()
        .unwrap_or(0)
        + 1;
    for index in unlocked {
        let cost = units[index].cost;
        let target = bins
            .values()
            .find(|bin| bin.cost.plus(cost).fits())
            .map(|bin| bin.number);
        let number = match target {
            Some(number) => number,
            None if next > MAX_FLOW_STACKS => {
                return Err(vec![ModelError::new(
                    stack_path,
                    ErrorKind::TooManyFlowStacks { max: MAX_FLOW_STACKS },
                )]);
            }
            None => {
                let number = next;
                next += 1;
                bins.insert(
                    number,
                    Bin {
                        number,
                        cost: Cost::default(),
                        units: Vec::new(),
                    },
                );
                number
            }
        };
        if let Some(bin) = bins.get_mut(&number) {
            bin.cost = bin.cost.plus(cost);
            bin.units.push(index);
        }
    }
    let mut bins: Vec<Bin> = bins
        .into_values()
        .filter(|bin| bin.number == 0 || !bin.units.is_empty())
        .collect();
    for bin in &mut bins {
        bin.units.sort_unstable();
    }
    Ok(bins)
}

/// `<main>:<id>` or `<main>:<id>:<attribute>`: the export a flow stack imports (built for
/// every shared reference of every flow in a flow stack, so without `format!`).
fn export_name(main: &str, id: &str, attribute: Option<&str>) -> String {
    match attribute {
        Some(attribute) => [main, ":", id, ":", attribute].concat(),
        None => [main, ":", id].concat(),
    }
}

/// The templates of `bins`: the main stack (the `shared` template with its flows and the
/// exports flow stacks import) first, then the flow stacks.
fn build(main: &str, shared: Template, units: Vec<Unit>, bins: &[Bin]) -> Split {
    let shared_ids: BTreeSet<String> = shared.resources.keys().cloned().collect();
    let mut units: Vec<Option<Unit>> = units.into_iter().map(Some).collect();
    let mut take = |bin: &Bin| -> Vec<Unit> { bin.units.iter().filter_map(|i| units[*i].take()).collect() };
    let main_units = take(&bins[0]);
    let flow_stacks: Vec<(usize, Vec<Unit>)> = bins[1..].iter().map(|bin| (bin.number, take(bin))).collect();
    // Each flow stack is finished on its own (imports rewritten, entries sorted), on every
    // core when there are several.
    let finished = crate::parallel::map_owned(flow_stacks, 4, |(number, units)| {
        flow_stack(main, number, units, &shared_ids)
    });
    let mut placed: Vec<(String, String)> = Vec::new();
    let mut exports: BTreeSet<(String, Option<String>)> = BTreeSet::new();
    let mut templates = Vec::with_capacity(finished.len() + 1);
    for (template, imported) in finished {
        placed.extend(template.flows.iter().map(|flow| (flow.clone(), template.stack.clone())));
        exports.extend(imported);
        templates.push(template);
    }
    let mut full = shared;
    let main_flows: Vec<String> = main_units.iter().map(|unit| unit.flow.to_owned()).collect();
    FlowEntries::add_all(main_units.into_iter().map(|unit| unit.entries).collect(), &mut full);
    for (id, attribute) in &exports {
        let value = match attribute {
            Some(attribute) => Expr::get_att(id, attribute),
            None => Expr::reference(id),
        };
        let output_id = format!("Export{id}{}", attribute.as_deref().unwrap_or_default());
        let name = export_name(main, id, attribute.as_deref());
        let description = format!(
            "{id} {} for the flow stacks of {main}",
            attribute.as_deref().unwrap_or("reference")
        );
        full.outputs.insert(
            output_id,
            Output {
                description,
                value,
                export: Some(Export { name }),
            },
        );
    }
    full.canonicalize();
    placed.extend(main_flows.iter().map(|flow| (flow.clone(), main.to_owned())));
    let lock = Lock {
        flows: placed.into_iter().collect(),
    };
    templates.insert(
        0,
        StackTemplate {
            stack: main.to_owned(),
            template: full,
            flows: main_flows,
            tags: BTreeMap::new(),
        },
    );
    Split {
        templates,
        lock,
        emptied: Vec::new(),
    }
}

/// Turns a reference to a shared resource into an import of the main stack's export.
/// Flow stack `number` of its `units`: references to the main stack's `shared`
/// resources become imports (returned, to be exported), dependencies on them are dropped
/// (the import orders the stacks), and entries are sorted.
fn flow_stack(
    main: &str,
    number: usize,
    units: Vec<Unit>,
    shared: &BTreeSet<String>,
) -> (StackTemplate, BTreeSet<(String, Option<String>)>) {
    let mut template = Template {
        description: Some(format!(
            "AppFlow flows of stack {main}, part {number}; shared resources are imported from {main}"
        )),
        ..Template::default()
    };
    let mut exports = BTreeSet::new();
    let mut flows = Vec::with_capacity(units.len());
    let mut entries = Vec::with_capacity(units.len());
    for mut unit in units {
        flows.push(unit.flow.to_owned());
        for (_, resource) in &mut unit.entries.resources {
            resource.depends_on.retain(|dependency| !shared.contains(dependency));
            // The generated types visit every value that may hold a reference.
            resource
                .properties
                .visit_flow_exprs_mut(&mut |expr| import_shared(expr, main, shared, &mut exports));
        }
        entries.push(unit.entries);
    }
    FlowEntries::add_all(entries, &mut template);
    template.canonicalize();
    let stack = StackTemplate {
        tags: BTreeMap::new(),
        stack: stack_name(main, number),
        template,
        flows,
    };
    (stack, exports)
}

fn import_shared(
    expr: &mut Expr,
    main: &str,
    shared: &BTreeSet<String>,
    exports: &mut BTreeSet<(String, Option<String>)>,
) {
    let import = match expr {
        Expr::Ref(id) if shared.contains(id.as_str()) => Expr::ImportValue(export_name(main, id, None)),
        Expr::GetAtt(id, attribute) if shared.contains(id.as_str()) => {
            Expr::ImportValue(export_name(main, id, Some(attribute)))
        }
        // References inside functions are rewritten where they stand.
        Expr::List(items) | Expr::Join(_, items) => {
            for item in items {
                import_shared(item, main, shared, exports);
            }
            return;
        }
        Expr::If(_, then, otherwise) => {
            import_shared(then, main, shared, exports);
            import_shared(otherwise, main, shared, exports);
            return;
        }
        _ => return,
    };
    match std::mem::replace(expr, import) {
        Expr::Ref(id) => exports.insert((id, None)),
        Expr::GetAtt(id, attribute) => exports.insert((id, Some(attribute))),
        _ => false,
    };
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde::Serialize;
    use serde_json::Value;

    /// The size an entry was given before [`super::entry_bytes`] measured it nested: its
    /// value's pretty bytes, 4 more per line for the deeper indent, its key and separators.
    fn flat_entry_bytes<T: Serialize>(key: &str, value: &T) -> usize {
        let mut bytes = Vec::new();
        crate::cfn::template::write_pretty(&mut bytes, value).expect("serializable");
        let text = String::from_utf8(bytes).expect("UTF-8");
        let lines = text.bytes().filter(|b| *b == b'\n').count();
        text.len() + (lines + 1) * 4 + key.len() + 8
    }

    #[test]
    fn nesting_overhead_is_what_serde_json_writes_around_a_value() {
        let null = serde_json::to_string_pretty(&super::Nested(&())).expect("serializable");
        assert_eq!(null.len(), super::NESTED_OVERHEAD + "null".len(), "{null}");
    }

    #[test]
    fn every_entry_of_every_example_template_is_sized_as_its_indented_text() {
        let directory = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
        let mut checked = 0;
        for entry in std::fs::read_dir(directory).expect("the examples exist") {
            let path = entry.expect("readable").path();
            if path.extension().is_none_or(|e| e != "toml") {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("readable");
            let name = path.display().to_string();
            let compiled = crate::compile_source(&name, &text, &crate::CompileOptions::default())
                .unwrap_or_else(|_| panic!("{name} compiles"));
            for stack in &compiled.templates {
                let template = &stack.template;
                assert_eq!(
                    super::pretty_bytes(template),
                    serde_json::to_string_pretty(template).expect("serializable").len(),
                    "{name}"
                );
                for (id, resource) in &template.resources {
                    assert_eq!(
                        super::entry_bytes(id, resource),
                        flat_entry_bytes(id, resource),
                        "{name}: {id}"
                    );
                    checked += 1;
                }
                for (id, parameter) in &template.parameters {
                    assert_eq!(
                        super::entry_bytes(id, parameter),
                        flat_entry_bytes(id, parameter),
                        "{name}: {id}"
                    );
                }
                for (id, output) in &template.outputs {
                    assert_eq!(
                        super::entry_bytes(id, output),
                        flat_entry_bytes(id, output),
                        "{name}: {id}"
                    );
                }
            }
        }
        assert!(checked >= 20, "only {checked} resources checked");
    }

    /// Arbitrary JSON: strings with escapes and non-ASCII, nested arrays and objects,
    /// empty ones included.
    fn json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            "[\\x00-\\x7f\"\\\\é☃]{0,12}".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 48, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::vec(("[a-z\\x00-\\x1f\"]{0,6}", inner), 0..6)
                    .prop_map(|entries| Value::Object(entries.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn any_json_is_sized_as_its_indented_text(value in json(), key in "[A-Za-z0-9]{1,12}") {
            prop_assert_eq!(super::entry_bytes(&key, &value), flat_entry_bytes(&key, &value));
        }
    }
}
