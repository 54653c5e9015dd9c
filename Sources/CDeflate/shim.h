#ifndef WARTA_CDEFLATE_SHIM_H
#define WARTA_CDEFLATE_SHIM_H
#include <libdeflate.h>
#endif
