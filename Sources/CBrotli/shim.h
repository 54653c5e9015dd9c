#ifndef WARTA_CBROTLI_SHIM_H
#define WARTA_CBROTLI_SHIM_H
#include <brotli/encode.h>
#include <brotli/decode.h>
#endif
