#ifndef KEFU_CLIBPQ_SHIM_H
#define KEFU_CLIBPQ_SHIM_H

// The Debian header lives in /usr/include/postgresql; pkg-config `libpq` adds that directory.
#include <libpq-fe.h>

#endif
