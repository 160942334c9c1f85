/* model.h - the plug-in interface of decision models, and the registry type
 * that hands a set of them to the engine.
 *
 * A decision model is one const sim_model_type (one file per model in the
 * models folder, whose registry.c lists the built-in ones). The engine asks
 * it for decisions through `decide` and tells it what happened through
 * `observe`; it never branches on a model's name, and it never names a
 * model at all: the caller hands it a sim_registry, as Lua's linit.c opens
 * its libraries. A model sees only what its actor may know: the request
 * below. */
#ifndef SIM_MODEL_H
#define SIM_MODEL_H

#include <gsl/gsl_rng.h>
#include <stdbool.h>

#include "error.h"
#include "scenario.h"

#ifdef __cplusplus
extern "C" {
#endif

struct sim_bargain;

/* Signals the engine hands to binary decisions (respond, veto, border,
 * transit): what the actor can observe this round. `gain` is the actor's
 * utility gain from acting over not acting (MODEL.md section 2 weights).
 * id, key, meaning. */
#define SIM_SIGNALS(X)                                                        \
    X(GAIN, "gain", "utility gain of acting over not acting")                 \
    X(TENSION, "tension", "regional tension after this round's shocks")       \
    X(DRONES, "drones", "drone incursions this round")                        \
    X(SPIES, "spies", "spy scandals this round")                              \
    X(EXERCISE, "exercise", "1 while military exercises are on")              \
    X(ELECTION, "election", "1 while the actor is in an election period")     \
    X(US_PRESSURE, "us_pressure", "1 while Washington presses the EU")        \
    X(STATUS, "status", "1 if the actor is already in the acting state")      \
    X(PRICE, "price", "going price, $bn/yr of relief per prisoner released")

typedef enum sim_signal {
#define SIM_SIGNAL_ENUM(id, key, doc) SIM_SIGNAL_##id,
    SIM_SIGNALS(SIM_SIGNAL_ENUM)
#undef SIM_SIGNAL_ENUM
        SIM_N_SIGNALS
} sim_signal;

/* What "acting" means per role: respond = accept the offer; veto = accept
 * the EU deal (not veto it); border = close the border; transit = allow
 * Klaipeda transit; renew = renew the EU's sanctions at the yearly renewal
 * (not let them lapse); offer = propose a deal. */

/* A request for one decision. Pointers are borrowed for the call. */
typedef struct sim_decision {
    sim_role role;
    sim_actor actor;
    const double *param; /* the model's parameters, in its key order */
    double signal[SIM_N_SIGNALS];
    /* Bargaining roles: the round's game and the stage (0-based); for
     * respond, the deal on the table and which side (0, 1) the actor is. */
    const struct sim_bargain *game; /* solved by the engine beforehand */
    int stage;
    int side;
    int deal;
    gsl_rng *rng; /* the actor's decision stream */
} sim_decision;

typedef struct sim_action {
    bool act;  /* binary roles */
    int deal;  /* offer: the deal proposed, or -1 for no serious offer */
} sim_action;

typedef struct sim_model_type {
    const char *name;
    const char *doc;       /* one line for the reference */
    unsigned roles;        /* bit (1u << role) for each role it can take */
    const sim_key *params; /* offsets are byte offsets into a double[] */
    int nparams;
    size_t state_size;     /* bytes of per-replication state, may be 0 */
    /* Resets the state at the start of a replication. May be NULL. */
    int (*init)(void *state, const double *param, sim_err *err);
    /* Takes one decision. Returns 0 or a negative SIM_E_* code. */
    int (*decide)(void *state, const sim_decision *d, sim_action *out,
                  sim_err *err);
    /* Learns the outcome of a decision it took part in. May be NULL. */
    void (*observe)(void *state, const sim_decision *d, bool accepted);
} sim_model_type;

/* A set of models: what a scenario may name, and the default of every
 * actor's roles. Both point to static data; a registry is not freed. */
typedef struct sim_registry {
    const sim_model_type *const *models; /* NULL-terminated */
    const sim_model_type *default_model; /* one of models */
} sim_registry;

/* The model of reg named `name`, or NULL. */
const sim_model_type *sim_registry_find(const sim_registry *reg,
                                        const char *name);

/* True if `m` can take role `role`. */
bool sim_model_has_role(const sim_model_type *m, int role);

/* Fills param[] with the model's defaults. */
void sim_model_defaults(const sim_model_type *m, double *param);

#ifdef __cplusplus
}
#endif

#endif
