//! `georel frames`: the network drawn on a series of dates, each actor in the same place in
//! every picture, and an index.html to step through them.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use anyhow::{Context, Result};

use georel::export::render::{self, Layout};
use georel::export::{atomic, dot, lock, page};
use georel::model::ActorIx;
use georel::snapshot::Snapshot;

use super::{load, Exit};
use crate::plan::FramesPlan;

pub fn run(plan: &FramesPlan) -> Result<Exit> {
    let ds = load(&plan.data)?;
    // Held until the folder holds exactly this run's frames and index.html.
    let _lock = lock::lock_dir(&plan.dir)?;
    let snapshots: Vec<Snapshot<'_>> =
        plan.days.iter().map(|&day| Snapshot::at(&ds, day, plan.options)).collect();

    // One layout for the union of all frames; its positions are pinned in every frame.
    let mut layout_dot = Vec::new();
    dot::write_frames_layout(&snapshots, &mut layout_dot)?;
    let actors: usize = snapshots.iter().map(|s| s.nodes.len()).max().unwrap_or(0);
    let edges: usize = snapshots.iter().map(|s| s.edges.len()).max().unwrap_or(0);
    render::check_size(actors, edges, plan.large_picture)?;
    let layout = plan.layout.unwrap_or_else(|| Layout::for_size(actors, edges));
    let by_name: HashMap<String, ActorIx> = snapshots
        .iter()
        .flat_map(|s| s.nodes.iter().map(|n| (dot::frame_node_id(n.actor), n.actor)))
        .collect();
    let mut positions: Vec<(ActorIx, f64, f64)> = render::positions(&layout_dot, layout)?
        .into_iter()
        .filter_map(|(name, x, y)| by_name.get(&name).map(|&a| (a, x, y)))
        .collect();
    positions.sort_unstable_by_key(|&(a, _, _)| ds.rank(a));

    // Draw the frames on every core; each is staged beside its destination, and nothing is
    // renamed into place until all of them are drawn.
    let ext = plan.picture.extension();
    let names: Vec<String> =
        plan.days.iter().enumerate().map(|(i, day)| format!("frame-{:04}-{day}.{ext}", i + 1)).collect();
    let next = AtomicUsize::new(0);
    let staged: Mutex<Vec<Option<atomic::Staged>>> = Mutex::new((0..snapshots.len()).map(|_| None).collect());
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).min(snapshots.len().max(1));
    std::thread::scope(|scope| -> Result<()> {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| -> Result<()> {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(snapshot) = snapshots.get(i) else { return Ok(()) };
                        let mut frame_dot = Vec::new();
                        dot::write_frame(snapshot, &positions, &mut frame_dot)?;
                        let picture = render::render(&frame_dot, Layout::Neato, plan.picture, &["-n"])
                            .with_context(|| format!("cannot draw the frame of {}", snapshot.window))?;
                        let file = atomic::stage(&plan.dir.join(&names[i]), atomic::Cache::Bypass, |out| {
                            out.write_all(&picture)
                        })?;
                        staged.lock().expect("no worker panics while holding the lock")[i] = Some(file);
                    }
                })
            })
            .collect();
        for handle in handles {
            handle.join().expect("a frame worker does not panic")?;
        }
        Ok(())
    })?;
    let staged: Vec<atomic::Staged> =
        staged.into_inner().expect("the workers are done").into_iter().flatten().collect();

    let frames: Vec<page::Frame> = snapshots
        .iter()
        .zip(&names)
        .map(|(s, file)| page::Frame {
            file: file.clone(),
            date: s.window.to_string(),
            summary: format!(
                "{} actors, {} relations ({} possible, {} contested)",
                s.nodes.len(),
                s.edges.len(),
                s.possible_count(),
                s.contested_count()
            ),
        })
        .collect();
    let title = match (plan.days.first(), plan.days.last()) {
        (Some(first), Some(last)) => format!("georel: the network from {first} to {last}"),
        _ => "georel: no frames".to_string(),
    };
    let index = atomic::stage(&plan.dir.join("index.html"), atomic::Cache::Bypass, |out| {
        page::write(&title, &frames, out)
    })?;
    let mut written = atomic::commit(staged)?;
    written.extend(atomic::commit(vec![index])?);
    remove_stale_frames(plan, &names)?;

    say!(
        "frames: {} from {} ({} layout), in {}{}",
        frames.len(),
        title.trim_start_matches("georel: "),
        layout.as_str(),
        plan.dir.display(),
        // Counted on the frames' days, where the frames look, as every command counts.
        ds.graded_out().note_on_days(&plan.days)
    )?;
    say!("wrote {}", plan.dir.join("index.html").display())?;
    if frames.is_empty() {
        eprintln!("georel: no date from --from to --to");
        return Ok(Exit::Empty);
    }
    Ok(Exit::Success)
}

/// Removes frames of an earlier, longer series from the folder, so that it holds exactly
/// what index.html shows. Only georel's own frame names are touched.
fn remove_stale_frames(plan: &FramesPlan, keep: &[String]) -> Result<()> {
    let Ok(entries) = std::fs::read_dir(&plan.dir) else { return Ok(()) };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        if is_frame_name(&name) && !keep.contains(&name) {
            let path: PathBuf = entry.path();
            std::fs::remove_file(&path)
                .with_context(|| format!("cannot remove the old frame {}", path.display()))?;
        }
    }
    Ok(())
}

/// `frame-NNNN-YYYY-MM-DD.png` or `.svg`.
fn is_frame_name(name: &str) -> bool {
    let Some(rest) = name.strip_prefix("frame-") else { return false };
    let Some(stem) = rest.strip_suffix(".png").or_else(|| rest.strip_suffix(".svg")) else { return false };
    let bytes = stem.as_bytes();
    bytes.len() == 15
        && bytes[4] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, &b)| if [4, 9, 12].contains(&i) { b == b'-' } else { b.is_ascii_digit() })
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_georels_own_frame_names_are_recognised() {
        assert!(super::is_frame_name("frame-0001-2025-11-12.png"));
        assert!(super::is_frame_name("frame-0420-2025-11-12.svg"));
        for other in [
            "frame-1-2025-11-12.png",
            "frame-0001-2025-11-12.jpg",
            "index.html",
            "frame-0001-20251112.png",
            "my-frame-0001-2025-11-12.png",
        ] {
            assert!(!super::is_frame_name(other), "{other}");
        }
    }
}
