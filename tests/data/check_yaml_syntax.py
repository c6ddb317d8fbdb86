#!/usr/bin/env python3
"""Checks that libyaml (PyYAML's CSafeLoader, syntax only: compose, no constructors) still judges
the snippets in yaml_syntax_snippets.json as the file says. The Rust test
`agrees_with_libyaml_on_the_snippets` (src/load/yaml_strict.rs) checks the tool against the same
file, so the two readers are compared through it: a snippet libyaml rejects is a `yaml-syntax`
error in the tool, a snippet it accepts is read."""
import json
import pathlib
import sys

import yaml

here = pathlib.Path(__file__).resolve().parent
snippets = json.loads((here / "yaml_syntax_snippets.json").read_text(encoding="utf-8"))
if not hasattr(yaml, "CSafeLoader"):
    sys.exit("PyYAML was built without libyaml: CSafeLoader is missing")
wrong = []
for s in snippets:
    try:
        yaml.compose(s["text"], Loader=yaml.CSafeLoader)
        rejected = False
    except yaml.YAMLError:
        rejected = True
    if rejected != s["libyaml_rejects"]:
        wrong.append(f'{s["name"]}: libyaml {"rejects" if rejected else "accepts"} {s["text"]!r}')
if wrong:
    sys.exit("libyaml disagrees with tests/data/yaml_syntax_snippets.json:\n" + "\n".join(wrong))
print(f"libyaml judges all {len(snippets)} YAML snippets as recorded")
