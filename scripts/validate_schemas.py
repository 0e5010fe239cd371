#!/usr/bin/env python3
"""Check Kefu's stream contract: JSON Schemas, examples, invalid examples and docs/streams.md.

Usage: python3 scripts/validate_schemas.py [TYPE=PATH ...]

- every docs/schemas/<type>.schema.json is a valid draft 2020-12 schema for its type;
- every docs/schemas/examples/<type>.json validates (and every type has one);
- every docs/schemas/invalid/<name>.json entry fails with the error it expects;
- every `redis-cli XADD` command in docs/streams.md parses like a shell would, targets the stream of its
  type (`<service>` and `<instance>` in a type's `x-kefu-stream` stand for any service or instance name),
  and its `event` value validates; every example file is shown there;
- every `redis-cli XADD` command and every ```json block in Services/*/README.md and docs/integrations.md is
  JSON, and each entry among them validates like those in docs/streams.md;
- docs/schemas/webhooks/webhook.delivery.schema.json is valid and every webhook body shown as a ```json block
  in docs/integrations.md validates against it;
- every `example` in docs/openapi.yaml validates against the schema next to it, every string in a request
  body schema has a `maxLength` (or an `enum`), every array a `maxItems`, and the image uploads require
  `session_id`;
- every TYPE=PATH argument validates as an entry of TYPE (`webhook.delivery=PATH`: as a webhook body).

Prints problems, then one summary line; exits 1 on any problem, 2 on bad usage.
Needs `jsonschema` >= 4.18 (pip install jsonschema).
"""
import json
import pathlib
import re
import shlex
import sys

try:
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012
except ImportError:  # pragma: no cover - environment problem, reported plainly
    sys.stderr.write("validate_schemas: needs jsonschema >= 4.18 (pip install jsonschema)\n")
    sys.exit(2)

ROOT = pathlib.Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "docs" / "schemas"
STREAMS_DOC = ROOT / "docs" / "streams.md"
ENVELOPE = "envelope.schema.json"
PREFIX = "kefu"
MAX_ENTRY_BYTES = 65536
# The TYPE of a TYPE=PATH argument that names a webhook delivery body.
WEBHOOK_TYPE = "webhook.delivery"
# Placeholders in `x-kefu-stream` for streams chosen per entry, and the names they stand for.
STREAM_PLACEHOLDERS = {
    "<service>": "[a-z0-9][a-z0-9_-]{0,63}",
    "<instance>": "[a-z0-9][a-z0-9._-]{0,63}",
}


class Checker:
    """Collects results; each check adds one pass or one problem."""

    def __init__(self):
        self.passed = 0
        self.problems = []

    def ok(self):
        self.passed += 1

    def fail(self, where, message):
        self.problems.append("%s: %s" % (where, message))


def load_json(path):
    with open(path, encoding="utf-8") as handle:
        return json.load(handle, object_pairs_hook=reject_duplicate_keys)


def reject_duplicate_keys(pairs):
    keys = [key for key, _ in pairs]
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    if duplicates:
        raise ValueError("duplicate keys: %s" % ", ".join(duplicates))
    return dict(pairs)


def relative(path):
    try:
        return str(pathlib.Path(path).resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


class Contract:
    """The schemas, loaded into one registry, with a validator per entry type."""

    def __init__(self, checker):
        self.checker = checker
        self.validators = {}
        self.streams = {}
        resources = []
        schemas = {}
        for path in sorted(SCHEMAS.glob("*.schema.json")):
            try:
                schema = load_json(path)
                Draft202012Validator.check_schema(schema)
            except Exception as error:  # noqa: BLE001 - report any load problem
                checker.fail(relative(path), "not a valid draft 2020-12 schema: %s" % error)
                continue
            resources.append((schema["$id"], Resource.from_contents(schema)))
            schemas[path.name] = schema
        self.registry = Registry().with_resources(resources)
        if ENVELOPE not in schemas:
            checker.fail(relative(SCHEMAS / ENVELOPE), "missing")
        for name, schema in schemas.items():
            if name == ENVELOPE:
                continue
            self.add_type(name, schema)

    def add_type(self, name, schema):
        entry_type = name[: -len(".schema.json")]
        where = relative(SCHEMAS / name)
        const = schema.get("properties", {}).get("type", {}).get("const")
        if const != entry_type:
            self.checker.fail(where, "properties.type.const is %r, expected %r" % (const, entry_type))
            return
        stream = schema.get("x-kefu-stream")
        if not isinstance(stream, str) or not stream:
            self.checker.fail(where, "x-kefu-stream is missing")
            return
        self.validators[entry_type] = Draft202012Validator(
            schema, registry=self.registry, format_checker=Draft202012Validator.FORMAT_CHECKER
        )
        self.streams[entry_type] = "%s:%s" % (PREFIX, stream)
        self.checker.ok()

    def stream_matches(self, entry_type, stream):
        """Whether `stream` is the stream of `entry_type`, filling in any placeholder."""
        pattern = re.escape(self.streams[entry_type])
        for placeholder, name in STREAM_PLACEHOLDERS.items():
            pattern = pattern.replace(re.escape(placeholder), name)
        return re.fullmatch(pattern, stream) is not None

    def errors(self, entry):
        """All validation errors of an entry, dispatched by its type, as (keyword, path, message)."""
        if not isinstance(entry, dict):
            return [("type", "", "an entry must be a JSON object")]
        entry_type = entry.get("type")
        validator = self.validators.get(entry_type)
        if validator is None:
            return [("unknown_type", "/type", "unknown type %r" % (entry_type,))]
        found = []
        size = len(json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
        if size > MAX_ENTRY_BYTES:
            found.append(("too_large", "", "entry is %d bytes, the limit is %d" % (size, MAX_ENTRY_BYTES)))
        for error in validator.iter_errors(entry):
            found.extend(flatten(error))
        return found


def flatten(error):
    """The error and the errors of its oneOf/anyOf branches."""
    pointer = "".join("/%s" % part for part in error.absolute_path)
    result = [(error.validator, pointer, error.message)]
    for child in error.context or []:
        result.extend(flatten(child))
    return result


def describe(errors):
    return "; ".join("%s at %s: %s" % (kw, path or "/", msg[:160]) for kw, path, msg in errors[:3])


def check_examples(contract, checker):
    examples = {}
    for entry_type in sorted(contract.validators):
        path = SCHEMAS / "examples" / (entry_type + ".json")
        where = relative(path)
        if not path.exists():
            checker.fail(where, "missing: every type needs a valid example")
            continue
        try:
            entry = load_json(path)
        except ValueError as error:
            checker.fail(where, "not JSON: %s" % error)
            continue
        examples[entry_type] = entry
        if entry.get("type") != entry_type:
            checker.fail(where, "type is %r, expected %r" % (entry.get("type"), entry_type))
            continue
        errors = contract.errors(entry)
        if errors:
            checker.fail(where, "should be valid: " + describe(errors))
        else:
            checker.ok()
    for path in sorted((SCHEMAS / "examples").glob("*.json")):
        if path.stem not in contract.validators:
            checker.fail(relative(path), "no schema for this example's type")
    return examples


def check_invalid(contract, checker):
    for path in sorted((SCHEMAS / "invalid").glob("*.json")):
        where = relative(path)
        try:
            case = load_json(path)
            expect = case["expect"]
            keyword, pointer = expect["keyword"], expect["instance_path"]
            entry = case["entry"]
        except (ValueError, KeyError, TypeError) as error:
            checker.fail(where, "needs {description, expect: {keyword, instance_path}, swift_rejects, entry}: %s" % error)
            continue
        errors = contract.errors(entry)
        if not errors:
            checker.fail(where, "should fail with %s at %s but is valid" % (keyword, pointer or "/"))
        elif not any(kw == keyword and path_ == pointer for kw, path_, _ in errors):
            checker.fail(where, "should fail with %s at %s, got: %s" % (keyword, pointer or "/", describe(errors)))
        else:
            checker.ok()


def xadd_commands(markdown):
    """(line number, tokens or error) of every `redis-cli XADD` command in the fenced shell blocks.

    Lines are joined the way a shell reads them: a command ends at a newline outside quotes.
    """
    commands = []
    for match in re.finditer(r"^[ \t]*```(?:sh|bash|shell)[ \t]*\n(.*?)^[ \t]*```", markdown, re.M | re.S):
        first_line = markdown.count("\n", 0, match.start(1)) + 1
        buffer, start = "", first_line
        for offset, text in enumerate(match.group(1).splitlines(keepends=True)):
            if not buffer:
                start = first_line + offset
            buffer += text
            try:
                tokens = shlex.split(buffer, comments=True)
            except ValueError:
                continue
            if len(tokens) >= 2 and tokens[0] == "redis-cli" and tokens[1].upper() == "XADD":
                commands.append((start, tokens))
            buffer = ""
        if buffer.strip():
            commands.append((start, ValueError("unterminated quote in the command starting here")))
    return commands


def check_streams_doc(contract, checker, examples):
    where = relative(STREAMS_DOC)
    if not STREAMS_DOC.exists():
        checker.fail(where, "missing")
        return
    markdown = STREAMS_DOC.read_text(encoding="utf-8")
    shown = []
    for line, tokens in xadd_commands(markdown):
        here = "%s:%d" % (where, line)
        if isinstance(tokens, Exception):
            checker.fail(here, "shell quoting: %s" % tokens)
            continue
        # redis-cli XADD <stream> [NOMKSTREAM] [MAXLEN|MINID ...] <id> field value [field value ...]
        args = tokens[2:]
        if len(args) < 4:
            checker.fail(here, "XADD needs a stream, an id and field/value pairs: %s" % " ".join(tokens))
            continue
        stream = args[0]
        try:
            star = args.index("*")
        except ValueError:
            checker.fail(here, "use '*' (quoted) as the entry id so Redis assigns it")
            continue
        pairs = args[star + 1:]
        if len(pairs) != 2 or pairs[0] != "event":
            checker.fail(here, "an entry has exactly one field, event; got fields %s" % pairs[0::2])
            continue
        try:
            entry = json.loads(pairs[1], object_pairs_hook=reject_duplicate_keys)
        except ValueError as error:
            checker.fail(here, "event is not JSON after shell quoting: %s" % error)
            continue
        errors = contract.errors(entry)
        if errors:
            checker.fail(here, "event should be valid: " + describe(errors))
            continue
        if not contract.stream_matches(entry["type"], stream):
            checker.fail(here, "%s belongs on %s, not %s" % (entry["type"], contract.streams[entry["type"]], stream))
            continue
        shown.append(entry)
        checker.ok()
    for entry_type, example in sorted(examples.items()):
        if example in shown:
            checker.ok()
        else:
            checker.fail(where, "the example %s.json is not shown in an XADD command" % entry_type)


def json_blocks(markdown):
    """(line number, text) of every ```json block."""
    for match in re.finditer(r"^[ \t]*```json[ \t]*\n(.*?)^[ \t]*```", markdown, re.M | re.S):
        yield markdown.count("\n", 0, match.start(1)) + 1, match.group(1)


def check_entry(contract, checker, here, entry, stream=None):
    errors = contract.errors(entry)
    if errors:
        checker.fail(here, "entry should be valid: " + describe(errors))
    elif stream is not None and not contract.stream_matches(entry["type"], stream):
        checker.fail(here, "%s belongs on %s, not %s" % (entry["type"], contract.streams[entry["type"]], stream))
    else:
        checker.ok()


def check_readmes(contract, checker):
    """The entries and JSON shown in each service's README and in docs/integrations.md."""
    for path in sorted((ROOT / "Services").glob("*/README.md")) + sorted((ROOT / "docs").glob("integrations.md")):
        where = relative(path)
        markdown = path.read_text(encoding="utf-8")
        for line, tokens in xadd_commands(markdown):
            here = "%s:%d" % (where, line)
            if isinstance(tokens, Exception) or "event" not in tokens[:-1]:
                checker.fail(here, "an XADD example needs one quoted event field")
                continue
            try:
                entry = json.loads(tokens[tokens.index("event") + 1], object_pairs_hook=reject_duplicate_keys)
            except ValueError as error:
                checker.fail(here, "event is not JSON: %s" % error)
                continue
            check_entry(contract, checker, here, entry, tokens[2])
        for line, text in json_blocks(markdown):
            here = "%s:%d" % (where, line)
            try:
                value = json.loads(text, object_pairs_hook=reject_duplicate_keys)
            except ValueError as error:
                checker.fail(here, "a json block must be JSON (use `text` for shapes with placeholders): %s" % error)
                continue
            if isinstance(value, dict) and {"id", "type", "data"} <= set(value) and "timestamp" not in value:
                check_entry(contract, checker, here, value)
            else:
                checker.ok()  # webhook bodies (with `timestamp`) are checked by check_webhook_docs


def check_webhook_docs(contract, checker):
    """The webhook schema, and every ```json block of docs/integrations.md that is a delivery body."""
    path = SCHEMAS / "webhooks" / "webhook.delivery.schema.json"
    try:
        schema = load_json(path)
        Draft202012Validator.check_schema(schema)
    except Exception as error:  # noqa: BLE001 - report any load problem
        checker.fail(relative(path), "not a valid draft 2020-12 schema: %s" % error)
        return
    validator = Draft202012Validator(schema, registry=contract.registry, format_checker=Draft202012Validator.FORMAT_CHECKER)
    contract.webhook_validator = validator
    checker.ok()
    for doc in sorted((ROOT / "docs").glob("integrations.md")):
        for line, text in json_blocks(doc.read_text(encoding="utf-8")):
            here = "%s:%d" % (relative(doc), line)
            try:
                value = json.loads(text, object_pairs_hook=reject_duplicate_keys)
            except ValueError as error:
                checker.fail(here, "a json block must be JSON: %s" % error)
                continue
            if isinstance(value, dict) and {"type", "timestamp", "data"} <= set(value):
                errors = sorted(validator.iter_errors(value), key=lambda e: list(e.absolute_path))
                if errors:
                    checker.fail(here, "webhook body: %s" % "; ".join(e.message for e in errors[:3]))
                    continue
            checker.ok()


def check_openapi_examples(checker):
    """Each `example` in docs/openapi.yaml against the schema it belongs to (a schema, or a media type's)."""
    path = ROOT / "docs" / "openapi.yaml"
    try:
        import yaml
    except ImportError:
        checker.fail(relative(path), "needs PyYAML (pip install pyyaml) to check its examples")
        return
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    registry = Registry().with_resource("openapi.yaml", Resource.from_contents(document, default_specification=DRAFT202012))

    def visit(node, pointer):
        if isinstance(node, dict):
            if "example" in node:
                location = pointer if "type" in node or "$ref" in node or "properties" in node else pointer + "/schema"
                validator = Draft202012Validator({"$ref": "openapi.yaml#" + location}, registry=registry)
                errors = list(validator.iter_errors(node["example"]))
                if errors:
                    checker.fail("%s#%s" % (relative(path), pointer), "example: " + errors[0].message[:200])
                else:
                    checker.ok()
            for key, value in node.items():
                visit(value, pointer + "/" + str(key).replace("~", "~0").replace("/", "~1"))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                visit(value, "%s/%d" % (pointer, index))

    visit(document, "")


def check_openapi_limits(checker):
    """Request bodies declare their limits, so that fuzzers can test them."""
    path = ROOT / "docs" / "openapi.yaml"
    import yaml
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    schemas = document.get("components", {}).get("schemas", {})
    where = relative(path)

    def resolve(schema):
        while isinstance(schema, dict) and "$ref" in schema:
            schema = schemas.get(schema["$ref"].split("/")[-1], {})
        return schema if isinstance(schema, dict) else {}

    def limits(schema, pointer):
        schema = resolve(schema)
        kind = schema.get("type")
        if kind == "string" and schema.get("contentEncoding") != "binary":
            if "maxLength" in schema or "enum" in schema or "const" in schema:
                checker.ok()
            else:
                checker.fail(where, "%s: a request string needs maxLength" % pointer)
        elif kind == "array":
            if "maxItems" in schema:
                checker.ok()
            else:
                checker.fail(where, "%s: a request array needs maxItems" % pointer)
            limits(schema.get("items", {}), pointer + "[]")
        for name, child in schema.get("properties", {}).items():
            limits(child, "%s.%s" % (pointer, name))
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict):
            limits(extra, pointer + ".*")

    for route, item in document.get("paths", {}).items():
        for method, operation in item.items():
            if not isinstance(operation, dict):
                continue
            for media in operation.get("requestBody", {}).get("content", {}).values():
                limits(media.get("schema", {}), "%s %s body" % (method.upper(), route))
            if method == "post" and route.endswith("/images"):
                required = [p for p in operation.get("parameters", []) if p.get("name") == "session_id" and p.get("required")]
                if required:
                    checker.ok()
                else:
                    checker.fail(where, "POST %s: session_id is required on image uploads" % route)


def check_arguments(contract, checker, arguments):
    for argument in arguments:
        entry_type, separator, path = argument.partition("=")
        if not separator or not entry_type or not path:
            sys.stderr.write("validate_schemas: arguments are TYPE=PATH, got %r\n" % argument)
            sys.exit(2)
        where = relative(path)
        if entry_type == WEBHOOK_TYPE and getattr(contract, "webhook_validator", None) is not None:
            try:
                body = load_json(path)
            except (OSError, ValueError) as error:
                checker.fail(where, "cannot read JSON: %s" % error)
                continue
            errors = [e.message for e in contract.webhook_validator.iter_errors(body)]
            if errors:
                checker.fail(where, "should be a valid webhook body: %s" % "; ".join(errors[:3]))
            else:
                checker.ok()
            continue
        if entry_type not in contract.validators:
            checker.fail(where, "unknown type %r" % entry_type)
            continue
        try:
            entry = load_json(path)
        except (OSError, ValueError) as error:
            checker.fail(where, "cannot read JSON: %s" % error)
            continue
        if isinstance(entry, dict) and entry.get("type") != entry_type:
            checker.fail(where, "type is %r, expected %r" % (entry.get("type"), entry_type))
            continue
        errors = contract.errors(entry)
        if errors:
            checker.fail(where, "should be valid %s: %s" % (entry_type, describe(errors)))
        else:
            checker.ok()


def main(arguments):
    checker = Checker()
    contract = Contract(checker)
    examples = check_examples(contract, checker)
    check_invalid(contract, checker)
    check_streams_doc(contract, checker, examples)
    check_readmes(contract, checker)
    check_webhook_docs(contract, checker)
    check_openapi_examples(checker)
    check_openapi_limits(checker)
    check_arguments(contract, checker, arguments)
    for problem in checker.problems:
        print("FAIL " + problem)
    print("validate_schemas: %d passed, %d failed" % (checker.passed, len(checker.problems)))
    return 1 if checker.problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
