#!/usr/bin/env python3
"""Run a flow with DFFML, with DFFML's own operation library available.

    DFFML_PATH=DIR python3 tests/dffml/dffml_run_ext.py FLOW.yaml INPUTS.jsonl

The shared oracle (../shared/oracle) registers flowc's catalogue and a few
DFFML built-ins by name.  This wrapper adds the DFFML operations flowc
implements for issue 16 (group_by, remap, ..., DFFML's git feature from
DIR/feature/git), under both their
registered names and their module:function names, then runs the oracle's
dffml_run.py unchanged.  Used only to produce expected outputs committed
next to the tests; make check never runs it.
"""
import os
import runpy
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
ORACLE = os.environ.get(
    "FLOWC_ORACLE", os.path.join(HERE, "..", "..", "..", "shared", "oracle")
)
if not os.path.isdir(ORACLE):
    ORACLE = "/work/shared/oracle"
sys.path.insert(0, os.environ["DFFML_PATH"])
# DFFML's git feature is a separate package of the same source tree.
sys.path.insert(0, os.path.join(os.environ["DFFML_PATH"], "feature", "git"))
sys.path.insert(0, ORACLE)

import ops  # noqa: E402

EXTRA = {
    "group_by": ("dffml.operation.output", "GroupBy"),
    "remap": ("dffml.operation.output", "remap"),
    "subprocess_line_by_line": ("dffml.operation.subprocess", "subprocess_line_by_line"),
}
for _name in ["db_query_create_table", "db_query_insert", "db_query_update",
              "db_query_remove", "db_query_lookup", "db_query_insert_or_update"]:
    EXTRA[_name] = ("dffml.operation.db", _name)
for _fmt in ["gz", "bz2", "xz"]:
    for _what in ["compress", "decompress"]:
        EXTRA[_fmt + "_" + _what] = ("dffml.operation.compression", _fmt + "_" + _what)
for _name in ["make_zip_archive", "extract_zip_archive", "make_tar_archive",
              "extract_tar_archive"]:
    EXTRA[_name] = ("dffml.operation.archive", _name)
for _name in ["quarters_back_to_date", "check_if_valid_git_repository_URL",
              "clone_git_repo", "git_repo_default_branch", "git_repo_checkout",
              "git_repo_commit_from_date", "git_repo_author_lines_for_dates",
              "work", "git_repo_release", "git_commits", "count_authors",
              "cleanup_git_repo"]:
    EXTRA[_name] = ("dffml_feature_git.feature.operations", _name)


def register():
    """Add EXTRA to the oracle's implementation table under both names."""
    import importlib

    for name, (module, attr) in EXTRA.items():
        obj = getattr(importlib.import_module(module), attr)
        ops.IMPLEMENTATIONS[name] = obj.imp
        ops.IMPLEMENTATIONS[module + ":" + attr] = obj.imp


def attach_subflow_implementations():
    """remap's config holds a dataflow; an installed DFFML finds its
    operations through entry points, which a source tree lacks, so give
    that dataflow the same implementations as the outer one."""
    import runner
    from dffml.operation import output

    plain = output.RemapConfig._fromdict.__func__

    def fromdict(cls, **kwargs):
        config = plain(cls, **kwargs)
        runner.attach_implementations(config.dataflow)
        return config

    output.RemapConfig._fromdict = classmethod(fromdict)


def repair_git_datetime():
    """DFFML's dffml_feature_git/feature/operations.py ends with a second
    module pasted on (git_ls_remote, with its own `import datetime`),
    which rebinds the module's `datetime` from the class to the module:
    quarters_back_to_date then always raises AttributeError (module
    'datetime' has no attribute 'strptime').  Bind the class back, as the
    operation's author meant; flowc implements that meaning."""
    import datetime

    from dffml_feature_git.feature import operations

    operations.datetime = datetime.datetime


register()
repair_git_datetime()
attach_subflow_implementations()
sys.argv = [os.path.join(ORACLE, "dffml_run.py")] + sys.argv[1:]
runpy.run_path(sys.argv[0], run_name="__main__")
