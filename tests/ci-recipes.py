#!/usr/bin/python3
"""ci-recipes.py - run the CI recipes of ci/ locally and check what they produce.

Run by `make test` (Debian's python3-yaml, hence /usr/bin/python3). For each
recipe (ci/gitlab-ci.yml, ci/github-actions.yml, ci/Jenkinsfile) it parses
the file, extracts the shell commands of every job in order, expanding
parallel jobs and matrices into one run per shard with the variables the CI
engine would set, and runs them in a fresh temporary directory that looks
like a checkout after the build (build/ and scenarios/ link to this tree).
Then it checks:

- every command exits 0 (the suite passes);
- the recipe writes report.html, report.xml (valid against
  tests/schemas/junit.xsd) and report.json;
- report.json, the merge of the shards, holds the same results as a serial
  run of the same commands without --shard (statuses, reasons, schedules,
  expectations, explore schedule counts and digests), timings aside.

What is not run, by convention: `make ...` and `apt-get ...` lines (the
build, which make test has done), and steps that only move or publish files
(GitHub `uses:` steps; Jenkins stash, junit, archiveArtifacts): all jobs share
one directory here. ci/Jenkinsfile describes the convention its sh steps keep.

Usage: tests/ci-recipes.py [HVSIM_ARGS]   (default "-k irq": part of the suite,
to keep make test short; "" runs the whole suite)
"""
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import yaml

ROOT = os.path.realpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
SKIP = re.compile(r"^\s*(make|apt-get)\b")


def gitlab(path):
    """[(env, [commands])] per job run, in stage order then file order."""
    doc = yaml.safe_load(open(path))
    stages = doc.get("stages", ["build", "test", "deploy"])
    env = {k: str(v) for k, v in (doc.get("variables") or {}).items()}
    jobs = [(k, v) for k, v in doc.items() if isinstance(v, dict) and "script" in v]
    jobs.sort(key=lambda kv: stages.index(kv[1].get("stage", "test")))
    runs = []
    for _, job in jobs:
        lines = list(job.get("before_script", [])) + list(job["script"])
        n = job.get("parallel", 1)
        for i in range(1, n + 1):
            e = dict(env, **({"CI_NODE_INDEX": str(i), "CI_NODE_TOTAL": str(n)} if n > 1 else {}))
            runs.append((e, lines))
    return runs


def github(path):
    doc = yaml.safe_load(open(path))
    env = {k: str(v) for k, v in (doc.get("env") or {}).items()}
    jobs, done, runs = doc["jobs"], [], []
    while len(done) < len(jobs):   # a job after the jobs it needs
        ready = [j for j in jobs if j not in done and
                 all(n in done for n in ([jobs[j]["needs"]] if isinstance(jobs[j].get("needs"), str)
                                         else jobs[j].get("needs", [])))]
        if not ready:
            sys.exit("ci-recipes: %s: a cycle in needs" % path)
        for name in ready:
            job = jobs[name]
            matrix = (job.get("strategy") or {}).get("matrix") or {}
            keys = sorted(matrix)
            cells = list(itertools.product(*(matrix[k] for k in keys)))
            for cell in cells:
                subst = {"matrix." + k: str(v) for k, v in zip(keys, cell)}
                subst["strategy.job-total"] = str(len(cells))
                lines = []
                for step in job["steps"]:
                    if "run" not in step:
                        continue   # uses: checkout, artifacts, publishing
                    def expr(m):
                        if m.group(1) not in subst:
                            sys.exit("ci-recipes: %s: ${{ %s }} is not one this test expands"
                                     % (path, m.group(1)))
                        return subst[m.group(1)]
                    lines.append(re.sub(r"\$\{\{\s*([\w.-]+)\s*\}\}", expr, step["run"]))
                runs.append((dict(env, **{k: str(v) for k, v in (job.get("env") or {}).items()}),
                             lines))
            done.append(name)
    return runs


def jenkins(path):
    """The convention of ci/Jenkinsfile: one-line sh '...' steps; NAME = '...' in an
    environment block; a matrix block's sh steps run once per value of its axis."""
    env, runs, block = {}, [], []
    depth, matrix_depth, env_depth = 0, None, None
    axis_name, axis_values, matrix_lines = None, [], []
    for line in open(path):
        code = re.sub(r"'[^']*'|\"[^\"]*\"|//.*", "", line)   # braces outside strings
        if re.search(r"\bmatrix\s*\{", code):
            matrix_depth = depth
            if block:
                runs.append((dict(env), block))
                block = []
        if re.search(r"\benvironment\s*\{", code):
            env_depth = depth
        m = re.match(r"^\s*(\w+)\s*=\s*'([^']*)'\s*$", line)
        if env_depth is not None and m:
            env[m.group(1)] = m.group(2)
        m = re.match(r"^\s*name\s+'(\w+)'\s*$", line)
        if matrix_depth is not None and m:
            axis_name = m.group(1)
        m = re.match(r"^\s*values\s+(.*)$", line)
        if matrix_depth is not None and m:
            axis_values = re.findall(r"'([^']*)'", m.group(1))
        m = re.match(r"^\s*sh\s+'([^']*)'\s*$", line)
        if m:
            (matrix_lines if matrix_depth is not None else block).append(m.group(1))
        elif re.match(r"^\s*sh\b", line):
            sys.exit("ci-recipes: %s: an sh step that is not one line in single quotes: %s"
                     % (path, line.strip()))
        depth += code.count("{") - code.count("}")
        if env_depth is not None and depth <= env_depth:
            env_depth = None
        if matrix_depth is not None and depth <= matrix_depth:
            if not axis_name or not axis_values:
                sys.exit("ci-recipes: %s: a matrix without name '...' and values" % path)
            for v in axis_values:
                runs.append((dict(env, **{axis_name: v}), matrix_lines))
            matrix_depth, axis_name, axis_values, matrix_lines = None, None, [], []
    if block:
        runs.append((dict(env), block))
    return runs


def checkout():
    d = tempfile.mkdtemp(prefix="hvsim-ci-")
    for name in ("build", "scenarios"):
        os.symlink(os.path.join(ROOT, name), os.path.join(d, name))
    return d


def run(d, env, cmd, bad, what):
    e = dict(os.environ, **env)
    e["HVSIM_LASTFAILED"] = os.path.join(d, ".lastfailed")   # not the tree's state
    p = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", cmd], cwd=d, env=e,
                       capture_output=True, text=True)
    if p.returncode:
        bad.append("%s: '%s' exited %d: %s" % (what, cmd, p.returncode,
                                                (p.stdout + p.stderr).strip()[-600:]))
    return p.returncode


def normal(doc):
    """The results of a report, without what differs between runs of the same
    thing (host time, the command line, how the schedule tree was split)."""
    out = []
    for r in doc["results"]:
        r = dict(r)
        r.pop("seconds", None)
        if "explore" in r:
            r["explore"] = {k: v for k, v in r["explore"].items() if k not in ("shard_k", "shard_n")}
        out.append(r)
    return sorted(out, key=lambda r: (r.get("file") or "", json.dumps(r, sort_keys=True)))


def serial(commands):
    """The recipe's sharded commands, once each, without --shard, each with its
    own --json (the shards of one job differ only in --shard and --json)."""
    out = []
    for c in commands:
        if "--shard" in c:
            c = re.sub(r"--json \S+", "--json JSON", re.sub(r"--shard \S+ ", "", c))
            if c not in out:
                out.append(c)
    return [c.replace("JSON", "serial-%d.json" % i) for i, c in enumerate(out)]


def main():
    hvsim_args = sys.argv[1] if len(sys.argv) > 1 else "-k irq"
    recipes = [("ci/gitlab-ci.yml", gitlab), ("ci/github-actions.yml", github),
               ("ci/Jenkinsfile", jenkins)]
    bad, reference = [], None
    for rel, parse in recipes:
        runs = parse(os.path.join(ROOT, rel))
        d = checkout()
        n_cmds = n_shards = 0
        test_cmds = []
        for env, lines in runs:
            env = dict(env, HVSIM_ARGS=hvsim_args)
            for cmd in lines:
                if SKIP.match(cmd):
                    continue
                n_cmds += 1
                n_shards += "--shard" in cmd
                test_cmds.append(cmd)
                run(d, env, cmd, bad, rel)
        for f in ("report.html", "report.xml", "report.json"):
            if not os.path.isfile(os.path.join(d, f)):
                bad.append("%s: wrote no %s" % (rel, f))
        if os.path.isfile(os.path.join(d, "report.xml")):
            run(d, {}, "xmllint --noout --schema %s/tests/schemas/junit.xsd report.xml" % ROOT, bad, rel)
        if reference is None:   # the serial run, once: the recipes run the same tests
            reference = []
            for i, cmd in enumerate(serial(test_cmds)):
                run(d, {"HVSIM_ARGS": hvsim_args}, cmd, bad, rel + " (serial)")
                f = os.path.join(d, "serial-%d.json" % i)
                if os.path.isfile(f):
                    reference += normal(json.load(open(f)))
            reference.sort(key=lambda r: (r.get("file") or "", json.dumps(r, sort_keys=True)))
        merged = None
        if os.path.isfile(os.path.join(d, "report.json")):
            merged = normal(json.load(open(os.path.join(d, "report.json"))))
            if merged != reference:
                names = lambda rs: [(r.get("file"), r.get("status")) for r in rs]
                diff = [x for x in names(merged) if x not in names(reference)] + \
                       [x for x in names(reference) if x not in names(merged)]
                bad.append("%s: the merged report differs from the serial run (%d vs %d results; "
                           "%s)" % (rel, len(merged), len(reference), diff[:4] or "same names"))
        print("ci-recipes: %s: %d jobs, %d commands (%d shards) run, merged %d results%s" %
              (rel, len(runs), n_cmds, n_shards, len(merged or []),
               " == serial run" if merged == reference else ""))
        shutil.rmtree(d)
    for msg in bad:
        print("ci-recipes: " + msg)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
