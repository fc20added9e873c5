/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * Which part of its file a session holds in the cache: the chunks its
 * window may send from. The cache never evicts a held chunk and loads held
 * chunks first; a file larger than the whole budget streams through the
 * windows of its sessions.
 */

#include "dp_internal.h"

/* Chunk range [first, last] of a window; first > last when empty. */
static inline void
chunks_of(const struct dpt_cache_entry *e, uint64_t off, uint64_t len,
	  uint32_t *first, uint32_t *last)
{
	if (len == 0 || off >= e->size) {
		*first = 1;
		*last = 0;
		return;
	}
	*first = (uint32_t)(off / DPT_CACHE_CHUNK);
	*last = (uint32_t)((RTE_MIN(off + len, e->size) - 1) /
			   DPT_CACHE_CHUNK);
}

/*
 * Keeps resident the part of the file the session may send from next: its
 * window, from the first unacknowledged byte. Changes only when the window
 * moves into another chunk; the new window is held before the old one is
 * let go.
 */
void
dp_window_hold(struct dp_session *s, uint64_t off, uint64_t len)
{
	uint32_t first, last;

	chunks_of(s->entry, off, len, &first, &last);
	if (first == s->hold_first && last == s->hold_last)
		return;
	dpt_cache_hold(s->entry, off, len);
	dpt_cache_unhold(s->entry, s->hold_off, s->hold_len);
	s->hold_off = off;
	s->hold_len = len;
	s->hold_first = first;
	s->hold_last = last;
}

/* Only downloads hold cache chunks (s->entry); the window's length was
 * fixed by the negotiation (s->win_len), so a packet costs one call into
 * the protocol core here, for where the window now starts. */
void
dp_window_follow(struct dp_session *s)
{
	if (s->entry != NULL)
		dp_window_hold(s, dpt_tftp_session_progress(s->t), s->win_len);
}

