"""Runs many real Alembic command lines in one Python process (parity tests).

Reads a JSON list of {"cwd": str, "argv": [str]} on stdin and writes a JSON list of
{"code": int, "stdout": str, "stderr": str} on stdout. Each command goes through the same code
path as /usr/bin/alembic (CommandLine -> Config -> command), only without paying Python's and
Alembic's start-up time for every call. Exit codes follow the CLI: 255 for CommandError
("FAILED: ..."), 1 for an uncaught exception (traceback on stderr), 2 for argparse errors.
"""
import contextlib
import io
import json
import os
import sys
import traceback
import warnings

from alembic.config import CommandLine, Config


def run_one(cwd, argv):
    os.chdir(cwd)
    out, err = io.StringIO(), io.StringIO()
    code = 0
    saved_path = list(sys.path)
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), warnings.catch_warnings():
        warnings.simplefilter("always")
        try:
            cli = CommandLine(prog="alembic")
            options = cli.parser.parse_args(argv)
            if not hasattr(options, "cmd"):
                cli.parser.error("too few arguments")
            config = Config(file_=options.config, ini_section=options.name, cmd_opts=options, stdout=out)
            cli.run_cmd(config, options)
        except SystemExit as exit_:
            value = exit_.code
            code = 0 if value is None else (value & 0xFF if isinstance(value, int) else 1)
        except BaseException:  # noqa: B902 - the point is to report anything Alembic raises
            traceback.print_exc(file=err)
            code = 1
    # prepend_sys_path must not leak from one project into the next.
    sys.path[:] = saved_path
    return {"code": code, "stdout": out.getvalue(), "stderr": err.getvalue()}


def main():
    commands = json.load(sys.stdin)
    results = [run_one(command["cwd"], command["argv"]) for command in commands]
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
