/* model.h - the decision-model interface, now in sim/model.h (kept so that
 * files including "../models/model.h" still build). */
#include "../sim/model.h"
