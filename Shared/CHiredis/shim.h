#ifndef KEFU_CHIREDIS_SHIM_H
#define KEFU_CHIREDIS_SHIM_H

#include <hiredis/hiredis.h>

#endif
