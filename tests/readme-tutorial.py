#!/usr/bin/python3
"""readme-tutorial.py - run README.md's tutorial exactly as written.

Run by `make test`. The tutorial marks its code blocks (the info string after
the opening fence):

  sh tutorial               commands, run in order in one bash session (set -e)
  LANG tutorial-file=NAME   saved as NAME in the session's current directory
  text tutorial-output      each line must appear in the output of the sh
                            blocks since the previous output block

The session starts in the tree's root with HOME set to a fresh temporary
directory (so `make install PREFIX="$HOME/.local"` and `~/hvsim-tour` land
there) and the last-failed state kept there too. The check fails when a
command fails, an expected line is missing, the README has no tutorial, or
the tour changed what `git status` shows in the tree (it must write nothing
into the clone).
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.realpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
FENCE = re.compile(r"^```(.*)$")


def blocks(text):
    """[(info, body)] of the fenced blocks whose info string names tutorial."""
    out, info, body = [], None, []
    for line in text.splitlines():
        m = FENCE.match(line)
        if m and info is None:
            info, body = m.group(1).strip(), []
        elif m and not m.group(1).strip():
            if "tutorial" in info:
                out.append((info, "\n".join(body) + "\n"))
            info = None
        elif info is not None:
            body.append(line)
    return out


def git_status():
    return subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=ROOT,
                          capture_output=True, text=True).stdout


def main():
    readme = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "README.md")
    bl = blocks(open(readme).read())
    script, expects, n_sh = ["set -e"], [], 0
    for info, body in bl:
        m = re.search(r"tutorial-file=(\S+)", info)
        if m:
            script.append("cat > %s <<'HVSIM_TUTORIAL_EOF'\n%sHVSIM_TUTORIAL_EOF" % (m.group(1), body))
        elif info.split()[:2] == ["sh", "tutorial"]:
            n_sh += 1
            script.append(body)
        elif info.split()[:2] == ["text", "tutorial-output"]:
            script.append("echo; echo '@@hvsim-tutorial-output %d'" % len(expects))
            expects.append([l for l in body.splitlines() if l.strip()])
        else:
            sys.exit("readme-tutorial: unknown tutorial block '%s'" % info)
    if n_sh < 5 or not expects:
        sys.exit("readme-tutorial: %s has %d sh tutorial blocks and %d output blocks"
                 % (readme, n_sh, len(expects)))
    home = tempfile.mkdtemp(prefix="hvsim-tutorial-")
    env = dict(os.environ, HOME=home, HVSIM_LASTFAILED=os.path.join(home, ".lastfailed"),
               NO_COLOR="1")
    env.pop("XDG_STATE_HOME", None)
    before = git_status()
    if os.environ.get("TUTORIAL_DEBUG"):
        print("\n".join(script))
    p = subprocess.run(["bash", "-c", "\n".join(script)], cwd=ROOT, env=env,
                       stdin=subprocess.DEVNULL, capture_output=True, text=True)
    bad = []
    if p.returncode:
        bad.append("the tutorial stopped (exit %d): %s" % (p.returncode,
                   (p.stdout + p.stderr).strip()[-1500:]))
    chunks = re.split(r"^@@hvsim-tutorial-output (\d+)$", p.stdout, flags=re.M)
    got = {int(chunks[i]): chunks[i - 1] for i in range(1, len(chunks), 2)}
    for i, lines in enumerate(expects):
        for line in lines:
            if i not in got or line not in got[i]:
                bad.append("output block %d: no line contains %r" % (i + 1, line))
    after = git_status()
    if after != before:
        bad.append("the tour changed the tree: git status was %r, is %r" % (before, after))
    shutil.rmtree(home, ignore_errors=True)
    for b in bad:
        print("readme-tutorial: " + b)
    print("readme-tutorial: %d sh blocks, %d files, %d output blocks (%d lines): %s" %
          (n_sh, sum("tutorial-file=" in i for i, _ in bl), len(expects),
           sum(map(len, expects)), "all ran and matched" if not bad else "%d problems" % len(bad)))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
