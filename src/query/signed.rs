//! The signed graph of a day (or a window) that `balance`, `brokers` and `blocs` read: one
//! undirected tie per pair of nodes, positive when only cooperation joins them, negative when
//! only restriction or dispute does. A pair joined both ways, or whose cooperation is in a
//! contest ([`crate::contest`], the one rule of what is contested), is *contested*: reported
//! apart, and left out of the signed ties or counted with one sign as [`ContestedAs`] says.
//! A membership, when the kinds include it (`--kinds …,membership`), is a positive tie
//! between the member and its alliance or agreement: allies stand together, as alliances are
//! the positive ties of the balance studies of the Correlates of War (Doreian and Mrvar 2015),
//! so that two allies in dispute make an unbalanced triangle with their alliance. The nodes,
//! the kinds, the grades and the roll-up to countries
//! are the snapshot's: this is the snapshot's graph read for its signs, nothing more.

use std::ops::Range;

use crate::date::Status;
use crate::model::{ActorIx, Grade, RelationIx, RelationKind};
use crate::snapshot::Snapshot;

/// The sign of a tie.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Sign {
    Positive,
    Negative,
}

impl Sign {
    /// `+` or `−` (U+2212), as the census and the reports write it.
    pub fn symbol(self) -> char {
        match self {
            Sign::Positive => '+',
            Sign::Negative => '−',
        }
    }

    /// The sign a relation of this kind gives its pair.
    pub fn of_kind(kind: RelationKind) -> Sign {
        match kind {
            RelationKind::Cooperation | RelationKind::Membership => Sign::Positive,
            RelationKind::Restriction | RelationKind::Dispute => Sign::Negative,
        }
    }
}

/// What a contested pair counts as (`--contested`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ContestedAs {
    /// Left out of the signed ties, and listed apart.
    #[default]
    Skip,
    /// A negative tie (and listed apart).
    Negative,
    /// A positive tie (and listed apart).
    Positive,
}

/// A pair of nodes joined on the day. `a < b` are node numbers ([`Signed::nodes`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tie {
    pub a: u32,
    pub b: u32,
    /// The tie's sign in the signed graph; `None` for a contested pair left out.
    pub sign: Option<Sign>,
    /// Joined both ways, or its cooperation is contested.
    pub contested: bool,
    /// `active` when one of the relations that sign it is active on the day.
    pub status: Status,
    /// Indexes into [`Signed::edge_list`]: the snapshot edges between the two nodes.
    edges: Range<u32>,
}

/// The signed graph of a snapshot.
#[derive(Debug)]
pub struct Signed<'s, 'd> {
    pub snapshot: &'s Snapshot<'d>,
    /// The nodes, in the snapshot's node order (by actor id): the ends of the ties, signed or
    /// contested. Node `i` is `nodes[i]`.
    pub nodes: Vec<ActorIx>,
    /// Every pair joined by a relation of the snapshot, sorted by `(a, b)`:
    /// signed ties and contested pairs alike (see [`Tie::sign`]).
    pub ties: Vec<Tie>,
    edge_list: Vec<u32>,
}

impl<'s, 'd> Signed<'s, 'd> {
    /// Reads the signed graph of `snapshot`, counting contested pairs as `contested` says.
    ///
    /// Cost: O(E log E) for the snapshot's E edges.
    pub fn of(snapshot: &'s Snapshot<'d>, contested: ContestedAs) -> Self {
        let ds = snapshot.dataset;
        // (a, b, edge) for every signing edge, a < b by actor rank.
        let mut ends: Vec<(ActorIx, ActorIx, u32)> = snapshot
            .edges
            .iter()
            .enumerate()
            .filter(|(_, e)| e.source != e.target)
            .map(|(i, e)| {
                let (a, b) = if ds.rank(e.source) <= ds.rank(e.target) {
                    (e.source, e.target)
                } else {
                    (e.target, e.source)
                };
                (a, b, i as u32)
            })
            .collect();
        ends.sort_unstable_by_key(|&(a, b, i)| (ds.rank(a), ds.rank(b), i));
        let mut used: Vec<ActorIx> = ends.iter().flat_map(|&(a, b, _)| [a, b]).collect();
        used.sort_unstable_by_key(|&a| ds.rank(a));
        used.dedup();
        let number = |a: ActorIx| used.binary_search_by_key(&ds.rank(a), |&x| ds.rank(x)).unwrap_or(0) as u32;
        let mut ties = Vec::new();
        let mut edge_list = Vec::with_capacity(ends.len());
        for group in ends.chunk_by(|x, y| (x.0, x.1) == (y.0, y.1)) {
            let start = edge_list.len() as u32;
            let (mut positive, mut negative, mut contested_edge) = (false, false, false);
            let mut status = Status::Possible;
            for &(_, _, i) in group {
                let e = &snapshot.edges[i as usize];
                match Sign::of_kind(e.kind) {
                    Sign::Positive => positive = true,
                    Sign::Negative => negative = true,
                }
                // Only a cooperation is contested: the restriction that covers it (flagged
                // too, as its other side) leaves a pair of its own merely negative.
                contested_edge |= e.contested && e.kind == RelationKind::Cooperation;
                status = status.max(e.status);
                edge_list.push(i);
            }
            let is_contested = (positive && negative) || contested_edge;
            let sign = match (is_contested, contested) {
                (true, ContestedAs::Skip) => None,
                (true, ContestedAs::Negative) => Some(Sign::Negative),
                (true, ContestedAs::Positive) => Some(Sign::Positive),
                (false, _) if positive => Some(Sign::Positive),
                (false, _) if negative => Some(Sign::Negative),
                (false, _) => None,
            };
            ties.push(Tie {
                a: number(group[0].0),
                b: number(group[0].1),
                sign,
                contested: is_contested,
                status,
                edges: start..edge_list.len() as u32,
            });
        }
        Signed { snapshot, nodes: used, ties, edge_list }
    }

    /// The number of nodes.
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    /// The ties with a sign (contested pairs counted as `--contested` says).
    pub fn signed(&self) -> impl Iterator<Item = (&Tie, Sign)> {
        self.ties.iter().filter_map(|t| t.sign.map(|s| (t, s)))
    }

    /// The contested pairs, whatever they were counted as.
    pub fn contested(&self) -> impl Iterator<Item = &Tie> {
        self.ties.iter().filter(|t| t.contested)
    }

    /// The snapshot edges (indexes into `snapshot.edges`) between a tie's two nodes.
    pub fn edge_list(&self, tie: &Tie) -> &[u32] {
        &self.edge_list[tie.edges.start as usize..tie.edges.end as usize]
    }

    /// The relations between a tie's two nodes that sign it (for a tie counted with a sign
    /// other than its own relations', every cooperation, restriction and dispute), in
    /// dataset order: its evidence.
    pub fn relations(&self, tie: &Tie) -> Vec<RelationIx> {
        let mut out: Vec<RelationIx> = self.evidence(tie).collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// [`Signed::relations`] unsorted, a relation possibly more than once.
    fn evidence<'a>(&'a self, tie: &'a Tie) -> impl Iterator<Item = RelationIx> + 'a {
        self.edge_list(tie)
            .iter()
            .map(|&i| &self.snapshot.edges[i as usize])
            .filter(|e| tie.contested || tie.sign.is_none() || Some(Sign::of_kind(e.kind)) == tie.sign)
            .flat_map(|e| self.snapshot.members(e).iter().map(|m| m.relation))
    }

    /// A tie's grade: the best grade among its relations (a tie is as well attested as its
    /// best-attested relation); `F6` when it has none.
    pub fn grade(&self, tie: &Tie) -> Grade {
        // Without collecting the relations: `balance` grades millions of ties in a day of
        // ten million relations.
        self.evidence(tie)
            .map(|r| self.snapshot.dataset.grade(r))
            .min_by_key(|g| g.rank())
            .unwrap_or(Grade::UNJUDGED)
    }

    /// Each node's signed neighbours, sorted by node number: the adjacency the algorithms
    /// read. Contested pairs left out are not in it.
    pub fn adjacency(&self) -> Vec<Vec<(u32, Sign)>> {
        let mut adj = vec![Vec::new(); self.nodes.len()];
        for (t, sign) in self.signed() {
            adj[t.a as usize].push((t.b, sign));
            adj[t.b as usize].push((t.a, sign));
        }
        for list in &mut adj {
            list.sort_unstable();
        }
        adj
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::{Day, PartialDate, Span};
    use crate::model::KindSet;
    use crate::model::{Actor, ActorKind, Dataset, Notes, Relation, RelationId};
    use crate::snapshot::{Filter, Grouping, Options};

    /// Actors A0.. (parents given), and relations (kind, source, target, directed) all from
    /// 2020 on.
    fn dataset(parents: &[Option<u32>], specs: &[(RelationKind, u32, u32, bool)]) -> Dataset {
        let actors = parents
            .iter()
            .enumerate()
            .map(|(i, p)| Actor {
                id: format!("A{i}").into(),
                name: format!("A{i}").into(),
                kind: if p.is_some() { ActorKind::Agency } else { ActorKind::Country },
                parent: p.map(ActorIx),
                aliases: Box::new([]),
            })
            .collect();
        let start = PartialDate::parse("2020").unwrap();
        let relations = specs
            .iter()
            .enumerate()
            .map(|(i, &(kind, s, t, directed))| Relation {
                id: RelationId::Named(format!("R{i}").into()),
                source: ActorIx(s),
                target: ActorIx(t),
                kind,
                directed,
                start,
                end: None,
                span: Span::new(start, None).unwrap(),
                notes: Notes::default(),
                credibility: None,
            })
            .collect();
        Dataset::new(actors, Vec::new(), relations)
    }

    fn day() -> Day {
        crate::date::parse_day("2021-01-01").unwrap()
    }

    /// (a, b, sign, contested) with node numbers turned back into actor indexes.
    fn ties(signed: &Signed) -> Vec<(u32, u32, Option<Sign>, bool)> {
        signed
            .ties
            .iter()
            .map(|t| (signed.nodes[t.a as usize].0, signed.nodes[t.b as usize].0, t.sign, t.contested))
            .collect()
    }

    use RelationKind::{Cooperation as C, Dispute as D, Membership as M, Restriction as R};

    #[test]
    fn pairs_are_signed_by_their_kinds_and_mixed_pairs_are_contested() {
        // 0–1 cooperation both ways (one tie); 1–2 dispute; 0–2 cooperation and dispute;
        // 2 member of 3.
        let ds = dataset(
            &[None; 4],
            &[
                (C, 0, 1, true),
                (C, 1, 0, true),
                (D, 1, 2, false),
                (C, 0, 2, false),
                (D, 2, 0, true),
                (M, 2, 3, true),
            ],
        );
        let signed_kinds = Filter { kinds: KindSet::of(&[C, R, D]), strict: false };
        let snap = Snapshot::at(&ds, day(), Options { filter: signed_kinds, ..Options::default() });
        let skip = Signed::of(&snap, ContestedAs::Skip);
        let pos = Some(Sign::Positive);
        let neg = Some(Sign::Negative);
        assert_eq!(ties(&skip), vec![(0, 1, pos, false), (0, 2, None, true), (1, 2, neg, false)]);
        assert_eq!(
            skip.nodes,
            vec![ActorIx(0), ActorIx(1), ActorIx(2)],
            "without membership, a member only is no node"
        );
        assert_eq!(skip.signed().count(), 2);
        let as_neg = Signed::of(&snap, ContestedAs::Negative);
        assert_eq!(ties(&as_neg)[1], (0, 2, neg, true));
        let as_pos = Signed::of(&snap, ContestedAs::Positive);
        assert_eq!(ties(&as_pos)[1], (0, 2, pos, true));
        assert_eq!(skip.relations(&skip.ties[0]), vec![RelationIx(0), RelationIx(1)]);
        assert_eq!(skip.relations(&skip.ties[1]), vec![RelationIx(3), RelationIx(4)]);
        // With membership among the kinds, 2–3 is a positive tie (allies stand together); the
        // others as before.
        let every = Snapshot::at(&ds, day(), Options::default());
        let links = Signed::of(&every, ContestedAs::Skip);
        assert_eq!(ties(&links)[..3], ties(&skip)[..]);
        assert_eq!(ties(&links)[3], (2, 3, pos, false));
        assert_eq!(links.signed().count(), 3);
        assert_eq!(links.relations(&links.ties[3]), vec![RelationIx(5)]);
        assert_eq!(
            skip.adjacency(),
            vec![
                vec![(1, Sign::Positive)],
                vec![(0, Sign::Positive), (2, Sign::Negative)],
                vec![(1, Sign::Negative)]
            ]
        );
    }

    #[test]
    fn a_cooperation_contested_by_a_parents_restriction_is_a_contested_pair() {
        // Agencies 2 (of 0) and 3 (of 1) cooperate while country 0 restricts country 1.
        let ds = dataset(&[None, None, Some(0), Some(1)], &[(C, 2, 3, true), (R, 0, 1, true)]);
        let snap = Snapshot::at(&ds, day(), Options::default());
        let signed = Signed::of(&snap, ContestedAs::Skip);
        // The countries are joined by the restriction alone: a negative tie, not a contested
        // pair (the contest is the agencies' cooperation's).
        assert_eq!(ties(&signed), vec![(0, 1, Some(Sign::Negative), false), (2, 3, None, true)]);
        // Rolled up to countries, the two relations join the same pair, both ways.
        let countries = Options { grouping: Grouping::Countries, ..Options::default() };
        let snap = Snapshot::at(&ds, day(), countries);
        let signed = Signed::of(&snap, ContestedAs::Skip);
        assert_eq!(ties(&signed), vec![(0, 1, None, true)]);
    }
}
