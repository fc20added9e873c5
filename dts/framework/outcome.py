# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dptftp authors
"""How a case ends other than by passing."""


class Failure(Exception):
    """The behaviour under test is wrong; the message says how."""


class StartFailure(Failure):
    """The server under test did not come up. After a few in a row the
    runner stops trying: a server that cannot start fails every case."""


class Skip(Exception):
    """The case cannot run here (a feature the server lacks, a tool
    missing); the message says why. Skips are reported, not counted."""


class CaseTimeout(BaseException):
    """The case ran past its time limit. A BaseException so that a case's
    own `except Exception` cannot swallow it."""
