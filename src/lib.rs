//! georel: explore dated geopolitical relationship graphs.
//!
//! Data flows one way: [`load`] reads and validates a dataset folder into a
//! [`model::Dataset`] (whose [`timeline`] indexes relations by time), [`store`] chooses what
//! of it a question reads (from the folder's index or its CSV files), [`snapshot`] takes the
//! graph on a day, and [`export`] writes it as DOT, CSV or JSON. The command line (in the
//! binary) only parses arguments into a plan and runs it.

pub mod contest;
pub mod date;
pub mod export;
mod hint;
pub mod import;
pub mod load;
pub mod model;
pub mod names;
pub mod progress;
pub mod query;
mod radix;
pub mod serve;
pub mod snapshot;
pub mod store;
pub mod timeline;
