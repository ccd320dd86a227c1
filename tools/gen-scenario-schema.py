#!/usr/bin/env python3
"""gen-scenario-schema.py - writes scenarios/scenario.schema.json.

The JSON Schema (draft 2020-12) of a scenario file, for editors (completion,
hover text, red squiggles) and for tests/schema-check.py, which keeps it in
step with the loader (conformance/scenario_load.c and friends).

It is generated rather than hand-written for one reason: a number may be a
C-notation string ("0x1c050000", "16M"), and its range (a u64, an INTID
0..1019, RAM 64K..1G) can only be checked by a regular expression. The regexes
for "a decimal, hex or K/M/G-suffixed number between LO and HI" are built here
from LO and HI, exactly, so the schema refuses the same strings the loader's
range checks refuse. Ranges are written once, in RANGES below.

  tools/gen-scenario-schema.py           rewrite the schema
  tools/gen-scenario-schema.py --check   fail when the file is stale
"""
import json
import os
import sys

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scenarios",
                   "scenario.schema.json")

HEX = "0123456789abcdef"


def char_class(lo, hi, base):
    """A regex class for the digits lo..hi (hex letters in both cases)."""
    chars = ""
    for d in range(lo, hi + 1):
        c = HEX[d]
        chars += c + (c.upper() if c.isalpha() else "")
    return chars if len(chars) == 1 else "[" + chars + "]"


def digits_le(n, base):
    """Regex for the numbers 0..n written in base without leading zeros."""
    s = ""
    m = n
    while True:
        s = HEX[m % base] + s
        m //= base
        if m == 0:
            break
    any_digit = char_class(0, base - 1, base)
    alts = ["0"]
    if len(s) > 1:   # shorter: any nonzero first digit, then fewer digits
        alts.append(char_class(1, base - 1, base) + any_digit + "{0,%d}" % (len(s) - 2))
    for i, c in enumerate(s):   # same length: equal prefix, one smaller digit, then any
        d = HEX.index(c)
        lo = 1 if i == 0 else 0
        if d - 1 < lo:
            continue
        prefix = "".join(char_class(HEX.index(p), HEX.index(p), base) for p in s[:i])
        rest = len(s) - i - 1
        alts.append(prefix + char_class(lo, d - 1, base) + (any_digit + "{%d}" % rest if rest else ""))
    if n > 0:
        alts.append("".join(char_class(HEX.index(p), HEX.index(p), base) for p in s))
    return "(?:" + "|".join(alts) + ")"


def unsigned_le(n):
    """Regex for the number strings the loader reads (vdev/profile.c parse_size)
    whose value is at most n: decimal without leading zeros (no octal), 0x hex,
    either with an optional K, M or G suffix (any case)."""
    alts = []
    for suffix, shift in (("", 0), ("[kK]", 10), ("[mM]", 20), ("[gG]", 30)):
        m = n >> shift
        if shift and m == 0:
            continue
        alts.append(digits_le(m, 10) + suffix)
        alts.append("0[xX]0*" + digits_le(m, 16) + suffix)
    return "(?:" + "|".join(alts) + ")"


def number(lo, hi, multiple_of=None):
    """A number field of the loader's json_util.c: a JSON integer of magnitude at
    most 2^31, or a C-notation string, in lo..hi (lo may be negative: i64)."""
    j = {"type": "integer", "minimum": max(lo, -2**31), "maximum": min(hi, 2**31)}
    if multiple_of:
        j["multipleOf"] = multiple_of
    if lo < 0:   # i64: an optional '-' before the magnitude
        pat = "^(?:%s|-%s)$" % (unsigned_le(hi), unsigned_le(-lo))
    else:
        pat = "^%s%s$" % ("(?!%s$)" % unsigned_le(lo - 1) if lo > 0 else "", unsigned_le(hi))
    string = {"type": "string", "pattern": pat}
    if multiple_of == 4096:
        string["allOf"] = [{"pattern": PAGE_ALIGNED}]
    return {"oneOf": [j, string]}


# A string that is a multiple of 4 KiB: hex ending in 000, a K count that is a
# multiple of 4, any M or G count. A plain decimal string passes: a regex for
# decimal multiples of 4096 would be unreadable, and the loader still checks it.
PAGE_ALIGNED = ("^(?:0[xX][0-9a-fA-F]*000|0[xX][0-9a-fA-F]*[048cC][kK]|[048][kK]"
                "|[0-9]*(?:[02468][048]|[13579][26])[kK]|[^xX]*[0-9][mMgG]|0[xX].*[mMgG]"
                "|[1-9][0-9]*)$")


U32 = 2**32 - 1
U64 = 2**64 - 1
GPA_LIMIT = 2**44
RANGES = {
    "u64": number(0, U64),
    "u64_pos": number(1, U64),
    "u32": number(0, U32),
    "u32_pos": number(1, U32),
    "i64": number(-2**63, 2**63 - 1),
    "intid": number(0, 1019),
    "intr": number(32, 255),
    "ram": number(64 << 10, 1 << 30, multiple_of=4096),
    "limit": number(1, 10**12),
    "loc": number(1, GPA_LIMIT - 1, multiple_of=4096),
    "window": number(1, GPA_LIMIT - 2**32, multiple_of=4096),
}


def any_case(word):
    """word in any case, without the (?i) flag (editors use ECMA-262 regexes)."""
    return "".join("[%s%s]" % (c.lower(), c.upper()) if c.isalpha() else c for c in word)


def ref(name):
    return {"$ref": "#/$defs/" + name}


def desc(text, schema):
    return dict(schema, description=text)


def enum(values, text):
    return {"enum": values, "description": text}


NO_NUL = "^[^\\u0000]*$"
NONEMPTY = {"type": "string", "minLength": 1, "pattern": NO_NUL}
FAULT_KINDS = ["read-unmapped", "write-unmapped", "fetch-unmapped", "fetch-device",
               "alignment", "undefined", "breakpoint", "limit", "deadlock"]
EVENT_KINDS = ["mark", "irq", "exit", "fault", "attach", "detach", "notify", "status"]
GSS = ["OK", "UNKNOWN_FAILURE", "NOMEM", "CLIENT_MAX", "ILLEGAL_NAME", "NO_PERMISSION",
       "DOES_NOT_EXIST"]
# "create": "NAME,BYTES", NAME 1..31 printable bytes without '/', the last comma splits,
# BYTES 1 .. 4 GiB - 4 KiB.
CREATE_PATTERN = "^[\\u0020-\\u002e\\u0030-\\u007e]{1,31},(?!%s$)%s$" % (
    unsigned_le(0), unsigned_le(2**32 - 4096))


def obj(props, required=(), text=None, **more):
    o = {"type": "object", "properties": props, "additionalProperties": False}
    if required:
        o["required"] = list(required)
    if text:
        o["description"] = text
    o.update(more)
    return o


def array(items, text=None, **more):
    a = {"type": "array", "items": items}
    if text:
        a["description"] = text
    a.update(more)
    return a


def key_present(*keys):
    return {"anyOf": [{"required": [k]} for k in keys]}


PROFILE = obj({
    "size_zero": enum(["attach-only", "invalid", "empty"], "attach with size 0 (default attach-only)"),
    "find": enum(["by-index", "attach-only"], "find requests (default by-index)"),
    "name_unterminated": enum(["reject", "truncate"], "a name without NUL (default reject)"),
    "self_notify": enum(["allowed", "masked"], "notify of one's own bit (default allowed)"),
    "irq_trigger": enum(["level", "edge"], "notify interrupt trigger (default level)"),
    "attach_irq_self": {"type": "boolean", "description": "an attach interrupts the attacher too (default false)"},
    "detached_pending": enum(["keep", "clear"], "pending bits of a detached connection (default keep)"),
    "region_lifetime": enum(["destroy-on-last", "persist"], "region after its last detach (default destroy-on-last)"),
    "index_alloc": enum(["lowest-free", "round-robin"], "connection index allocation (default lowest-free)"),
    "failure_regs": enum(["unchanged", "zeroed"], "registers after a failed request (default unchanged)"),
    "connection_budget": desc("most live connections, 0 = no limit", ref("u64")),
    "memory_budget": desc("most region bytes, 0 = no limit", ref("u64")),
    "fault_delivery": enum(["stop", "guest"], "a fault stops the VM, or enters its vector (default stop)"),
}, text="profile switches (docs/device-model.md, Profile switches)")

SHMEM = obj({
    "pci": {"type": "boolean", "description": "PCI presentation; true only without loc, false only with it"},
    "loc": desc("factory page address (MMIO): page-aligned, not 0, below 2^44", ref("loc")),
    "intr": desc("the SPI this MMIO instance raises (32..255); required with loc", ref("intr")),
    "window": desc("base of the 4 GiB connection window", ref("window")),
    "allow": array({"type": "string", "minLength": 1, "maxLength": 63, "pattern": NO_NUL},
                   "ACL allow patterns", minItems=1),
    "deny": array({"type": "string", "minLength": 1, "maxLength": 63, "pattern": NO_NUL},
                  "ACL deny patterns", minItems=1),
    "acl": array({"type": "string", "pattern": "^(?:allow|deny) +[^ \\u0000]{1,63}$"},
                 "ACL rules in order: \"allow PATTERN\" or \"deny PATTERN\"", minItems=1),
    "create": array({"type": "string", "pattern": CREATE_PATTERN},
                    "regions that exist from the start: \"NAME,BYTES\""),
    "subst": {"type": "string", "pattern": "^[^,\\u0000]{0,63},[^\\u0000]{0,63}$",
              "description": "\"MATCH,PREFIX\": names starting with MATCH get PREFIX instead"},
}, text="one shmem device instance: {\"loc\": A, \"intr\": N} (MMIO) or {\"pci\": true}",
    allOf=[
        {"if": {"required": ["loc"]},
         "then": {"required": ["intr"], "properties": {"pci": {"const": False}}},
         "else": {"not": {"required": ["intr"]}, "properties": {"pci": {"const": True}}}},
        {"not": {"required": ["allow", "deny"]}},
        {"if": {"required": ["acl"]}, "then": {"not": key_present("allow", "deny")}},
    ])

VM = obj({
    "name": {"type": "string", "pattern": "^[a-z0-9_-]+$", "not": {"const": "host"},
             "description": "VM name, [a-z0-9_-]+, unique; 'host' is reserved"},
    "program": {"type": "string", "pattern": "^(?:[A-Za-z0-9_-]+|[^\\u0000]*/[^\\u0000]*|[^\\u0000]*\\.elf)$",
                "description": "a guest library name, or a path to an AArch64 ELF (relative to the scenario)"},
    "args": array({"oneOf": [{"type": "integer", "minimum": -2**31, "maximum": 2**31},
                             {"type": "string", "pattern": NO_NUL}]},
                  "arguments: integers (at most 2^31 in magnitude) or strings"),
    "ram": desc("RAM size, 64K..1G, a multiple of 4K (default 16M)", ref("ram")),
    "shmem": array(ref("shmem"), "shmem device instances", maxItems=64),
}, required=["name", "program"], text="one VM")

EVENT_VALUE = {"mark": "i64", "exit": "i64", "irq": "intid", "notify": "u32", "status": "u32"}
EVENT = {
    "type": "array", "minItems": 2, "maxItems": 3,
    "description": "an event pattern [VM, KIND] or [VM, KIND, VALUE]; VM may be \"host\"",
    "prefixItems": [{"type": "string"}, {"enum": EVENT_KINDS}],
    "allOf": [{"if": {"prefixItems": [True, {"const": k}]},
               "then": {"prefixItems": [True, True, ref(v)]}} for k, v in EVENT_VALUE.items()] + [
        {"if": {"prefixItems": [True, {"const": "fault"}]},
         "then": {"prefixItems": [True, True, {"enum": FAULT_KINDS}]}},
        {"if": {"prefixItems": [True, {"enum": ["attach", "detach"]}]},
         "then": {"prefixItems": [True, True, {"type": "string"}]}},
        {"if": {"prefixItems": [{"const": "host"}]},
         "then": {"prefixItems": [True, {"enum": ["attach", "detach", "notify", "status"]}]},
         "else": {"prefixItems": [True, {"not": {"const": "status"}}]}},
    ],
}

VM_CHECKS = ["exit", "fault", "console", "fails", "irqs"]
REGION_CHECKS = ["exists", "clients", "peak_clients", "pages", "data"]
PRIMARIES = ["vm", "region", "order", "never", "latency", "host", "races", "race"]
TAKES = {"vm": VM_CHECKS, "region": REGION_CHECKS, "host": ["status"]}
EXPECT_PROPS = {
    "vm": {"type": "string", "description": "a check of one VM: with exactly one of exit, fault, console, fails, irqs"},
    "exit": desc("the VM exited with this code", ref("i64")),
    "fault": {"oneOf": [{"enum": FAULT_KINDS},
                        obj({"kind": {"enum": FAULT_KINDS}, "addr": ref("u64")}, required=["kind"])],
              "description": "the VM stopped with this fault (kind, or {kind, addr})"},
    "console": {"oneOf": [{"type": "string", "minLength": 1, "pattern": NO_NUL},
                          obj({"regex": {"type": "string", "maxLength": 1024, "pattern": NO_NUL}},
                              required=["regex"])],
                "description": "console contains this text, or matches {\"regex\": PATTERN}"},
    "fails": array(ref("i64"), "the VM's FAIL ids, exactly, in order"),
    "irqs": obj({"intid": ref("intid"), "count": ref("u64"), "min": ref("u64"), "max": ref("u64")},
                required=["intid"], text="times INTID was acknowledged: count, or min and/or max",
                oneOf=[{"required": ["count"], "not": key_present("min", "max")},
                       dict(key_present("min", "max"), **{"not": {"required": ["count"]}})]),
    "region": {"type": "string", "minLength": 1, "description": "a check of one region (global name)"},
    "exists": {"type": "boolean", "description": "the region exists at the end"},
    "clients": desc("live connections at the end", ref("u32")),
    "peak_clients": desc("most live connections at any time", ref("u32")),
    "pages": desc("data pages", ref("u32")),
    "data": obj({"offset": ref("u64"), "hex": {"type": "string", "pattern": "^(?:[0-9a-fA-F]{2})+$"}},
                required=["offset", "hex"], text="bytes at a data offset"),
    "order": array(ref("event"), "these events occur in this order", minItems=2),
    "never": desc("no event matches", ref("event")),
    "latency": obj({"from": ref("event"), "to": ref("event"), "max": ref("u64")},
                   required=["from", "to", "max"], text="system clock from one event to the next"),
    "host": {"type": "string", "description": "a host connection id: with status"},
    "races": desc("race mode: exactly this many race reports", number(0, 256)),
    "race": obj({"kind": enum(["data-race", "missing-barrier-store", "missing-barrier-load"],
                              "the report's kind (any when absent)"),
                 "between": array(obj({"vm": {"type": "string", "minLength": 1,
                                              "description": "a VM name or \"host\""},
                                       "function": {"type": "string", "minLength": 1,
                                                    "description": "the symbol the access's PC lies in"},
                                       "dir": enum(["r", "w"], "read or write")},
                                      required=["vm"]),
                                  "the two accesses, in either order", minItems=2, maxItems=2)},
                required=["between"], text="race mode: some report between these two accesses"),
    "clause": {"oneOf": [{"type": "string", "pattern": "^[A-Z]+-[0-9]+$"},
                         {"type": "array", "items": {"type": "string", "pattern": "^[A-Z]+-[0-9]+$"},
                          "minItems": 1, "uniqueItems": True}],
               "description": "the rule IDs this expectation checks (docs/device-model.md); "
                              "without it, the scenario's clauses"},
    "status": {"oneOf": [{"type": "integer", "minimum": 0, "maximum": 6},
                         {"type": "string", "pattern": "^(?:(?:%s)?(?:%s)|[0-6])$" % (
                             any_case("GSS_"), "|".join(any_case(n) for n in GSS))}],
               "description": "GSS status name or number 0..6"},
}
EXPECT = obj(EXPECT_PROPS, text="one expectation; its leading key (vm, region, order, never, latency, host, races, race) gives its kind",
             oneOf=[{"required": [p]} for p in PRIMARIES],
             allOf=[{"if": {"required": [p]},
                     "then": {"propertyNames": {"enum": [p] + TAKES.get(p, []) + ["clause"]}}} for p in PRIMARIES] + [
                 {"if": {"required": ["vm"]}, "then": {"oneOf": [{"required": [k]} for k in VM_CHECKS]}},
                 {"if": {"required": ["region"]}, "then": key_present(*REGION_CHECKS)},
                 {"if": {"required": ["host"]}, "then": {"required": ["status"]}},
             ])

HOST_KEYS = {"attach": ["id", "name", "pages"], "notify": ["id", "mask"], "status": ["id"],
             "write": ["id", "offset", "hex"], "detach": ["id"]}
HOST = obj({
    "at": {"oneOf": [{"const": "start"},
                     obj({"mark": {"type": "array", "prefixItems": [{"type": "string"}, ref("i64")],
                                   "minItems": 2, "maxItems": 2}},
                         required=["mark"]),
                     obj({"instructions": ref("u64")}, required=["instructions"])],
           "description": "\"start\", {\"mark\": [VM, VALUE]} or {\"instructions\": N}"},
    "do": enum(list(HOST_KEYS), "the host action"),
    "id": {"type": "string", "minLength": 1, "description": "host connection id"},
    "name": {"type": "string", "description": "region name (attach)"},
    "pages": desc("pages to create with (attach); 0 is a size-0 request (CRE-8)", ref("u32")),
    "mask": desc("doorbell mask (notify)", ref("u32")),
    "offset": desc("data offset (write)", ref("u64")),
    "hex": {"type": "string", "pattern": "^(?:[0-9a-fA-F]{2})+$", "description": "bytes to write (write)"},
}, required=["at", "do", "id"], text="one host step: at, do and the keys of that action",
    allOf=[{"if": {"properties": {"do": {"const": op}}},
            "then": {"required": keys, "propertyNames": {"enum": ["at", "do"] + keys}}}
           for op, keys in HOST_KEYS.items()])

SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hvsim.example/scenario.schema.json",
    "title": "hvsim scenario",
    "description": "A scenario file of hvsim (docs/scenario-format.md). Generated by tools/gen-scenario-schema.py.",
    "type": "object",
    "additionalProperties": False,
    "required": ["vms"],
    # race expectations need race mode (the loader says so at the entry)
    "if": {"required": ["expect"],
           "properties": {"expect": {"contains": {"anyOf": [{"required": ["races"]},
                                                            {"required": ["race"]}]}}}},
    "then": {"required": ["races"], "properties": {"races": {"const": True}}},
    "properties": {
        "$schema": {"type": "string", "description": "this schema, for editors; hvsim ignores it"},
        "name": {"type": "string", "pattern": "^[\\u0020-\\u007e]+$", "description": "scenario name (default: the file name)"},
        "description": {"type": "string", "pattern": NO_NUL, "description": "what the scenario checks"},
        "clauses": array({"type": "string", "pattern": "^[A-Z]+-[0-9]+$"},
                         "clause IDs covered (docs/device-model.md), like \"CRE-1\""),
        "profile": ref("profile"),
        "seed": desc("seed of the random schedule policy (default 1)", ref("u64")),
        "schedule": obj({
            "policy": enum(["round-robin", "random"], "scheduling policy (default round-robin)"),
            "quantum": desc("instructions per turn (default 10000)", ref("u32_pos")),
            "irq_check": desc("most instructions before an unmasked interrupt is taken (default 64)", ref("u32_pos")),
        }, text="the scheduler"),
        "limits": obj({"instructions": desc("most instructions one VM may retire (default 10^8)", ref("limit"))},
                      text="per-VM limits"),
        "vms": array(ref("vm"), "the VMs, 1 to 64", minItems=1, maxItems=64),
        "host": array(ref("host_step"), "what the hypervisor host does, in order", maxItems=4096),
        "expect": array(ref("expect"), "what must happen", maxItems=4096),
        "races": {"type": "boolean", "description": "race mode: data races and missing barriers on shared-region data are reported (docs/races.md)"},
        "explore": obj({"max_preemptions": desc("most departures from round-robin (default 2)", ref("u32")),
                        "max_schedules": desc("most runs (default 100000)", ref("u64_pos"))},
                       text="bounds for hvsim explore"),
    },
    "$defs": dict(RANGES, profile=PROFILE, shmem=SHMEM, vm=VM, event=EVENT, expect=EXPECT,
                  host_step=HOST),
}


def main():
    text = json.dumps(SCHEMA, indent=1, ensure_ascii=True) + "\n"
    if sys.argv[1:] == ["--check"]:
        with open(OUT) as f:
            if f.read() != text:
                sys.exit("%s is stale: run tools/gen-scenario-schema.py" % OUT)
        return
    with open(OUT, "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()
