//! Questions asked of the dated graph: paths and neighbourhoods on a day, changes between
//! days, the record of an actor or a pair, contests, fractures inside alliances, and the
//! structural balance, brokers and blocs of the signed graph (`signed`, `balance`, `brokers`,
//! `blocs`).
//! One file per query; each returns plain results that `export` writes out. `local` finds the
//! few relations of a day that a path or a neighbourhood needs, for reading them alone from
//! an index file. `simple` is the peer benchmark's simple day graph, for `georel bench`.

pub mod balance;
pub mod blocs;
pub mod brokers;
pub mod conflicts;
pub mod diff;
pub mod fractures;
pub mod history;
pub mod local;
pub mod neighbours;
pub mod network;
pub mod path;
pub mod resolve;
pub mod signed;
pub mod simple;
