//! The StackSets engine (in progress).

pub mod command;
