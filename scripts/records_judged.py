"""The records `make predict ... FORMAT=records` gave for the user's article, reduced to what is
judged: per event its offsets, text, mode and the names of its actors and recipients (no
sentences: the article itself stays in ../shared). Usage:
.venv/bin/python scripts/records_judged.py <name>.records.jsonl > results/records/judged.md"""

import json
import sys

rows = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8") if line.strip()]
print("# Records predicted for tass_putin_trump_apec (make predict ... FORMAT=records)\n")
print("| offsets | event | mode (confidence) | actor | recipient |\n|---|---|---|---|---|")
for r in rows:
    names = {k: ", ".join(a["text"] for a in r[k]) for k in ("actor", "recipient")}
    print(
        f"| {r['event_start']}-{r['event_end']} | {r['event_text']} | {r['mode']} ({r['mode_confidence']:.2f})"
        f" | {names['actor']} | {names['recipient']} |"
    )
