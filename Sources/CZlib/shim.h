#ifndef WARTA_CZLIB_SHIM_H
#define WARTA_CZLIB_SHIM_H
#include <zlib.h>
#endif
