// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* ELF, PE and text recognised by their magic bytes, as file(1) would. */
#include "filetype.h"

#include <string.h>

#include "policy.h"

static bool is_elf(const unsigned char *h, size_t len)
{
	return len >= 4 && memcmp(h, "\x7f" "ELF", 4) == 0;
}

/* "MZ", then the PE signature where the DOS header's e_lfanew points. */
static bool is_pe(const unsigned char *h, size_t len)
{
	size_t off;

	if (len < 0x40 || h[0] != 'M' || h[1] != 'Z')
		return false;
	off = (size_t)h[0x3c] | (size_t)h[0x3d] << 8 | (size_t)h[0x3e] << 16 |
	      (size_t)h[0x3f] << 24;
	return off <= len - 4 && memcmp(h + off, "PE\0\0", 4) == 0;
}

/* Text: no NUL byte in the window (UTF-16 text counts as binary). */
static bool is_text(const unsigned char *h, size_t len)
{
	return len > 0 && memchr(h, 0, len) == NULL;
}

bool mg_filetype_is(int type, const unsigned char *head, size_t len)
{
	if (len > MG_FILETYPE_HEAD)
		len = MG_FILETYPE_HEAD;
	switch (type) {
	case MG_CTYPE_ELF:
		return is_elf(head, len);
	case MG_CTYPE_PE:
		return is_pe(head, len);
	case MG_CTYPE_TEXT:
		return is_text(head, len);
	default:
		return true;
	}
}
