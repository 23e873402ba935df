#include "analyzer/ir/ir.h"
