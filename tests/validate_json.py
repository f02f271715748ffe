#!/usr/bin/python3
"""Validates JSON documents against a JSON Schema (draft 2020-12) with Debian's
python3-jsonschema; for graph documents (--graph) also checks that every edge end is a node
and node ids are unique. Prints one line per failure and a count; exit 1 on any failure.

    validate_json.py [--graph] NAME SCHEMA FILE...
"""
import json
import sys

import jsonschema


def main(argv):
    graph = argv[0] == "--graph"
    if graph:
        argv = argv[1:]
    name, schema_path, files = argv[0], argv[1], argv[2:]
    schema = json.load(open(schema_path))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    bad = 0
    for path in files:
        doc = json.load(open(path))
        errors = [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(doc)]
        if graph:
            ids = {n["id"] for n in doc["nodes"]}
            errors += [f"edge end {e[k]!r} is not a node"
                       for e in doc["edges"] for k in ("from", "to") if e[k] not in ids]
            if len(ids) != len(doc["nodes"]):
                errors.append("node ids are not unique")
        for e in errors[:5]:
            print(f"FAIL: {path}: {e}")
        bad += bool(errors)
    print(f"{name}: {len(files) - bad} passed, {bad} failed")
    return 1 if bad or not files else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
