#ifndef WARTA_CSQLITE_SHIM_H
#define WARTA_CSQLITE_SHIM_H
#include <sqlite3.h>
#endif
