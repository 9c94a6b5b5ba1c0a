#!/usr/bin/env python3
"""A dataset with many named actors, for timing name resolution and its typo suggester.

    bench/gen_actors.py ACTORS OUT_DIR [--relations N] [--seed S]

Writes OUT_DIR/actors.csv (ACTORS actors: ids `X000001`..., pronounceable names of one to
three words, a third of them with one or two aliases, one in five an agency whose parent is
an earlier actor) and OUT_DIR/relations.csv (N cooperations and restrictions between random
actors, default 200,000, dated 1990-2025). Seeded, standard library only. Prints a name
with a typo in it (the last letters of a word swapped) and the name it came from, for the
timings in BENCHMARKS.md ("Issue 16": the typo suggester).
"""

import argparse
import os
import random

SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"] + ["an", "el", "or", "is", "us"]
WORDS = ["Republic", "Kingdom", "Union", "Federation", "Council", "Ministry", "Agency", "Bureau",
         "Service", "Directorate", "Command", "Front", "Party", "Alliance", "Office"]


def word(rng):
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()


def name(rng):
    n = rng.randint(1, 3)
    parts = [word(rng) for _ in range(n)]
    if rng.random() < 0.3:
        parts.insert(0, rng.choice(WORDS) + " of")
    return " ".join(parts)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("actors", type=int)
    p.add_argument("out")
    p.add_argument("--relations", type=int, default=200_000)
    p.add_argument("--seed", type=int, default=20261206)
    args = p.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(args.out, exist_ok=True)
    ids, names = [], []
    with open(os.path.join(args.out, "actors.csv"), "w", newline="\n") as f:
        f.write("id,name,kind,parent,aliases\n")
        for i in range(args.actors):
            aid = f"X{i + 1:06d}"
            nm = name(rng)
            agency = i > 10 and rng.random() < 0.2
            kind = "agency" if agency else "country"
            parent = ids[rng.randrange(len(ids))] if agency else ""
            aliases = ";".join(name(rng) for _ in range(rng.choice([0, 0, 0, 0, 1, 2])))
            f.write(f"{aid},{nm},{kind},{parent},{aliases}\n")
            ids.append(aid)
            names.append(nm)
    with open(os.path.join(args.out, "relations.csv"), "w", newline="\n") as f:
        f.write("source,target,kind,start,end\n")
        for _ in range(args.relations):
            s, t = rng.sample(range(args.actors), 2)
            kind = rng.choice(["cooperation", "cooperation", "restriction"])
            y = rng.randint(1990, 2024)
            start = f"{y}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            end = "" if rng.random() < 0.3 else f"{y + rng.randint(1, 5)}-{rng.randint(1, 12):02d}-01"
            f.write(f"{ids[s]},{ids[t]},{kind},{start},{end}\n")
    # A typo: the last two letters of the longest word of a name swapped.
    target = names[args.actors // 2]
    words = target.split(" ")
    k = max(range(len(words)), key=lambda j: len(words[j]))
    w = words[k]
    words[k] = w[:-2] + w[-1] + w[-2]
    print(f"typo: {' '.join(words)}\tof: {target}\tid: {ids[args.actors // 2]}")


if __name__ == "__main__":
    main()
