//! `georel frames`: the network drawn on a series of dates, each actor in the same place in
//! every picture, and an index.html to step through them.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use anyhow::{bail, Context, Result};

use georel::date::Day;
use georel::export::frames::Survey;
use georel::export::render::{self, Layout, Picture};
use georel::export::{atomic, dot, lock, page};
use georel::model::Dataset;
use georel::progress::{Progress, Unit};
use georel::query::diff;
use georel::snapshot::Snapshot;

use super::Exit;
use crate::plan::{FramesPlan, MAX_FRAMES};

pub fn run(plan: &FramesPlan, ds: &georel::model::Dataset) -> Result<Exit> {
    let days = frame_days(ds, plan)?;

    // Frames are taken one at a time, twice: once to learn what the shared layout must
    // hold, once to draw them; no more than two snapshots per thread are held at once.
    let surveying = Progress::new(
        format!("frames: surveying {}", georel::export::text::count(days.len(), "day", "days")),
        Unit::None,
    );
    let survey = Survey::of(ds, &days, plan.options, plan.large_picture);
    surveying.finish();
    let survey = survey?;
    let mut layout_dot = Vec::new();
    dot::write_frames_layout(ds, &survey.actors, &survey.pairs, &mut layout_dot)?;
    let layout = plan.layout.unwrap_or_else(|| Layout::for_size(survey.most_actors, survey.most_edges));
    let places = dot::FramePlaces::from_layout(ds, &render::positions(&layout_dot, layout)?);
    let mut legend = Vec::new();
    dot::write_frames_legend(&mut legend)?;
    let legend = render::render(&legend, Layout::Dot, Picture::Svg, &[]).context("cannot draw the legend")?;
    // Taken (and the folder made) only once the frames are sure to be drawn, so that a
    // refusal leaves no empty folder; held until the folder holds exactly this run's frames
    // and index.html.
    let _lock = lock::lock_dir(&plan.dir)?;

    // Draw the frames on every core; each is staged beside its destination as soon as it is
    // drawn, and nothing is renamed into place until all of them are.
    let ext = plan.picture.extension();
    let names: Vec<String> =
        days.iter().enumerate().map(|(i, day)| format!("frame-{:04}-{day}.{ext}", i + 1)).collect();
    let progress = Progress::steps("frames: drawing", days.len() as u64, "frames");
    let next = AtomicUsize::new(0);
    let staged: Mutex<Vec<Option<atomic::Staged>>> = Mutex::new((0..days.len()).map(|_| None).collect());
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).min(days.len().max(1));
    std::thread::scope(|scope| -> Result<()> {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| -> Result<()> {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(&day) = days.get(i) else { return Ok(()) };
                        let snapshot = Snapshot::at(ds, day, plan.options);
                        let previous = i.checked_sub(1).map(|p| Snapshot::at(ds, days[p], plan.options));
                        let mut frame_dot = Vec::new();
                        dot::write_frame(&snapshot, previous.as_ref(), &places, &mut frame_dot)?;
                        let picture = render::render(&frame_dot, Layout::Neato, plan.picture, &["-n"])
                            .with_context(|| format!("cannot draw the frame of {day}"))?;
                        drop(frame_dot);
                        let file = atomic::stage(&plan.dir.join(&names[i]), atomic::Cache::Bypass, |out| {
                            out.write_all(&picture)
                        })?;
                        staged.lock().expect("no worker panics while holding the lock")[i] = Some(file);
                        progress.add(1);
                    }
                })
            })
            .collect();
        for handle in handles {
            handle.join().expect("a frame worker does not panic")?;
        }
        Ok(())
    })?;
    progress.finish();
    let staged: Vec<atomic::Staged> =
        staged.into_inner().expect("the workers are done").into_iter().flatten().collect();

    let frames: Vec<page::Frame> = days
        .iter()
        .zip(&names)
        .zip(survey.summaries)
        .map(|((day, file), summary)| page::Frame { file: file.clone(), date: day.to_string(), summary })
        .collect();
    let title = match (plan.on_changes, days.first(), days.last()) {
        // With --every too, not every frame is a day of change.
        (Some(window), _, _) if !plan.days.is_empty() => format!(
            "georel: the network from {} to {}, on each day it changed and at each step",
            window.first, window.last
        ),
        (Some(window), _, _) => {
            format!("georel: the network from {} to {}, on each day it changed", window.first, window.last)
        }
        (None, Some(first), Some(last)) => format!("georel: the network from {first} to {last}"),
        _ => "georel: no frames".to_string(),
    };
    let legend = String::from_utf8_lossy(&legend);
    let index = atomic::stage(&plan.dir.join("index.html"), atomic::Cache::Bypass, |out| {
        page::write(&title, &frames, &legend, out)
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
        ds.graded_out().note_on_days(&days)
    )?;
    say!("wrote {}", plan.dir.join("index.html").display())?;
    if frames.is_empty() {
        eprintln!("georel: no date from --from to --to");
        return Ok(Exit::Empty);
    }
    if survey.most_edges == 0 {
        // Drawn all the same (an empty network is an answer), but said, as every command
        // says an empty result.
        return super::empty(format!(
            "no relation holds on any of the {} with these filters",
            georel::export::text::count(days.len(), "frame's day", "frames' days")
        ));
    }
    Ok(Exit::Success)
}

/// The frames' days: the steps of `--every`, and with `--on-changes` the days on which the
/// network changed (as `diff` sees a change), in order, each once.
fn frame_days(ds: &Dataset, plan: &FramesPlan) -> Result<Vec<Day>> {
    let mut days = plan.days.clone();
    if let Some(window) = plan.on_changes {
        // One more than allowed is enough to refuse: the rest are never compared.
        days.extend(diff::change_days(ds, plan.options, window).take(MAX_FRAMES + 1));
        days.sort_unstable();
        days.dedup();
    }
    if let (Some(window), true) = (plan.on_changes, days.len() > MAX_FRAMES) {
        bail!(
            "more than {MAX_FRAMES} frames from {} to {}: the network changes on more days than that; \
             choose a shorter range, or --every alone",
            window.first,
            window.last
        );
    }
    Ok(days)
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
