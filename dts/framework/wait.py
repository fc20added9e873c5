# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dptftp authors
"""Waiting for what the server does after the client is done.

A client's last packet (the final ACK, a request) reaches the server a
moment after the client returns, and the server retires the session a
moment after that. Cases never sleep a fixed time for it: they ask again
until the answer is there, and fail saying what never came.
"""

import time

from .outcome import Failure


def eventually(probe, what, timeout=5.0, every=0.05, fail=True):
    """Calls probe() until it returns a true value, and returns that
    value. After `timeout` seconds: raises Failure("WHAT: not within Ns
    (last: VALUE)"), or with fail=False returns the last value."""
    deadline = time.monotonic() + timeout
    while True:
        got = probe()
        if got:
            return got
        if time.monotonic() >= deadline:
            if not fail:
                return got
            raise Failure("%s: not within %gs (last: %r)"
                          % (what, timeout, got))
        time.sleep(every)
