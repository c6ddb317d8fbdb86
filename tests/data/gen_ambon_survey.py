#!/usr/bin/env python3
"""Generate the ILLUSTRATIVE impact survey of the Kota Ambon example workspace.

Writes data/survey/survei-dampak-2023.csv (columns respondent,question,score): for each of the six
smart city dimensions, 50 respondents answer that dimension's 9 impact questions
im-<dimension>-4.<k>.<j> (k, j = 1..3) with an integer score 1-4. The numbers are invented; the
fixed seed makes the file reproducible:

    python3 tests/data/gen_ambon_survey.py            # from the repository root
    python3 tests/data/gen_ambon_survey.py OUT.csv    # somewhere else
"""
import csv
import pathlib
import random
import sys

SEED = 20230613
RESPONDENTS_PER_DIMENSION = 50
# Probability of scores 1, 2, 3, 4 per dimension (1 governance .. 6 environment). Chosen so the
# dimensions differ a little: branding (Ambon City of Music) highest, environment lowest.
WEIGHTS = {
    1: [0.05, 0.20, 0.50, 0.25],
    2: [0.03, 0.15, 0.47, 0.35],
    3: [0.08, 0.30, 0.45, 0.17],
    4: [0.06, 0.24, 0.48, 0.22],
    5: [0.05, 0.22, 0.50, 0.23],
    6: [0.10, 0.32, 0.42, 0.16],
}
# Small per-question shifts (sub-dimension k, question j) so questions are not identical.
SHIFT = {(1, 1): 0.00, (1, 2): 0.05, (1, 3): -0.05, (2, 1): -0.05, (2, 2): 0.05,
         (2, 3): 0.00, (3, 1): 0.05, (3, 2): -0.05, (3, 3): 0.00}


def main() -> None:
    root = pathlib.Path(__file__).resolve().parents[2]
    out = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else root / "data/survey/survei-dampak-2023.csv"
    rng = random.Random(SEED)
    rows = []
    for dim in range(1, 7):
        for r in range(1, RESPONDENTS_PER_DIMENSION + 1):
            respondent = f"d{dim}-r{r:03d}"
            for k in range(1, 4):
                for j in range(1, 4):
                    w = list(WEIGHTS[dim])
                    shift = SHIFT[(k, j)]
                    # move probability mass between score 2 and score 4
                    w[3] = max(0.0, w[3] + shift)
                    w[1] = max(0.0, w[1] - shift)
                    score = rng.choices([1, 2, 3, 4], weights=w)[0]
                    rows.append((respondent, f"im-{dim}-4.{k}.{j}", score))
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["respondent", "question", "score"])
        writer.writerows(rows)
    print(f"{out}: {len(rows)} rows")


if __name__ == "__main__":
    main()
