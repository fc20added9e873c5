# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dptftp authors
"""dptftp end-to-end tests (see docs/testing.md)."""
