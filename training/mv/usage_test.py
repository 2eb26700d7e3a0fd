"""Test helper (no tests of its own): run a command-line main() with
given arguments and return what it printed on stderr when it refused
them with a usage error (exit status 2), failing the test otherwise."""
import contextlib
import io
import sys
from unittest import mock


def usage_error(test, main, prog, *argv):
    with mock.patch.object(sys, "argv", [prog] + list(argv)), \
            contextlib.redirect_stderr(io.StringIO()) as err, test.assertRaises(SystemExit) as ex:
        main()
    test.assertEqual(ex.exception.code, 2)
    return err.getvalue()
