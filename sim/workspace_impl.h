/* workspace_impl.h - PRIVATE to the engine: the workspace struct and the
 * internal functions that the engine's files share.
 *
 * Only the engine's own files include this header (workspace, utility,
 * decision, calendar, shocks, neighbours, track, eu, round, first_round);
 * everything else goes through world.h. The functions below are not part
 * of the library's API and may change with the engine. All take a
 * workspace that sim_workspace_alloc returned; none allocates. */
#ifndef SIM_WORKSPACE_IMPL_H
#define SIM_WORKSPACE_IMPL_H

#include <stdbool.h>
#include <stdint.h>

#include <sanctionsim/model_instance.h>
#include <sanctionsim/world.h>

/* The package gains of a track's last game (see track.c): valid while the
 * instruments' status, those on the table, Klaipeda transit, the sides,
 * their weights and annuities are the same (the other features cancel exactly when finite). */
enum { SIM_PKG_CACHE_MASKS = 256 };
typedef struct sim_pkg_cache {
    bool valid;
    bool klaipeda;
    int other, m;
    int on_table[SIM_MAX_INSTRUMENTS];
    sim_status_kind status[SIM_MAX_INSTRUMENTS];
    double w[2][SIM_N_FEATURES];
    double A[2];
    double gain[SIM_PKG_CACHE_MASKS][2];
} sim_pkg_cache;

/* What a track's release curves are computed from (fill_release_values
 * in track.c): the most released, nmax; each side's unit gain of each
 * kind, rg (compared bit for bit); and the pieces of the composition that
 * reach into 0..nmax, kind[j] growing up to count hi[j] (-1 for a piece
 * beyond nmax). The values for 0..nmax are a function of these alone, so
 * curves already filled from an equal key are the same doubles. */
typedef struct sim_release_key {
    int nmax;
    int kind[SIM_N_KINDS];
    long hi[SIM_N_KINDS];
    double rg[2][SIM_N_KINDS];
} sim_release_key;

/* The instrument sums of the features (instrument_features in utility.c)
 * of the world's present status, one entry per Klaipeda transit (0 shut,
 * 1 open): sums[] was computed from status[] (n_instruments entries) and
 * that transit. The sums are a function of the status and transit alone
 * (and of the per-instrument tables, which sim_utility_prepare sets at
 * each sim_workspace_reset, which clears the entries), so a view whose
 * status has the same contents gets the same doubles. Filled only from
 * views of ws->status. */
typedef struct sim_feature_cache {
    bool valid[2];
    sim_status_kind status[2][SIM_MAX_INSTRUMENTS];
    double sums[2][SIM_N_FEATURES];
} sim_feature_cache;

struct sim_workspace {
    const sim_scenario *sc;
    gsl_rng *shock_rng[SIM_N_SHOCKS];
    gsl_rng *decision_rng[SIM_N_ACTORS];
    gsl_rng *protocol_rng[2]; /* breakdown draws: US track, EU track */
    /* The last game built (and solved): track game_slot's (0 US, 1 EU).
     * spare_game, if allocated (spare_game.chains not NULL), holds the
     * other track's last game; sim_track_build swaps the two (they hold no
     * pointers into themselves) so that each track finds its own last game
     * again. game_valid[slot]: the slot's last game is still held and
     * complete, built from the release curves and package gains that the
     * slot's keys (release_key, pkg_cache) hold now and the visibility
     * bonuses game_visible[slot]; a build from equal inputs would make
     * the same game, so it is kept as it is (see sim_track_build). */
    sim_bargain game, spare_game;
    int game_slot;
    bool game_valid[2];
    double game_visible[2][2];
    /* Per actor and role; an actor's respond role shares its offer role's
     * state when both name the same model (see model_instance.h). */
    sim_model_instance model[SIM_N_ACTORS][SIM_N_ROLES];
    int max_release;
    /* The prisoners Minsk would release in the last game built: up to
     * release_take[j] of kind release_kind[j], j = 0, 1, ... in turn (see
     * sim_track_composition). */
    int release_kind[SIM_N_KINDS];
    long release_take[SIM_N_KINDS];
    /* release_value[slot][side][n]: side's gain of releasing n prisoners
     * (n = 0..max_release) in the last game of track slot (0 US, 1 EU);
     * its game's chains point into it. release_key[slot] is what those
     * values (and their monotony, release_mono) were computed from, valid
 * once release_valid[slot] (see track.c). */
    double *release_value[2][2];
    sim_release_key release_key[2];
    bool release_valid[2], release_mono[2]; /* key set; curves monotone */
    double *count_double; /* count_double[n] = (double)n, n = 0..max_release */
    double *relief_gained;    /* per round, face value of deals */
    /* Per actor, the weight of a permanent change (sim_utility_annuity of
     * its discount over the scenario's planning horizon): the same in
     * every round, whatever the run's length. */
    double annuity[SIM_N_ACTORS];
    /* discount_pow[t * SIM_N_ACTORS + a] = pow(actor a's discount, t), the
     * weight of round t's utility, once for the whole run */
    double *discount_pow;
    /* Per instrument, set by sim_utility_prepare at every reset: its value
     * to Minsk while lifted without [0] and with [1] Klaipeda transit, its
     * recognition (1 if diplomatic, else 0) and the cost feature it adds
     * its cost to (what sim_utility_features sums). */
    double inst_relief[2][SIM_MAX_INSTRUMENTS];
    double inst_recognition[SIM_MAX_INSTRUMENTS];
    int inst_cost_feature[SIM_MAX_INSTRUMENTS];
    bool inst_sums_finite; /* every sum of those terms is finite */
    /* Per actor: every weight of the scenario is finite (set once by
     * sim_workspace_alloc), and every weight of this round's w[a] is (set
     * with w by sim_calendar_step). */
    bool weights_finite[SIM_N_ACTORS], w_finite[SIM_N_ACTORS];
    sim_pkg_cache pkg_cache[2]; /* per track: US, EU */
    /* Written through const workspaces (utility.c), hence apart. */
    sim_feature_cache *feature_cache;

    const atomic_int *cancel; /* see sim_workspace_set_cancel */

    /* The world. */
    int t; /* 0-based round */
    long stock[SIM_N_KINDS];
    double tension;
    bool engaged;
    int frozen_left;
    bool pl_open, lt_open, klaipeda_open;
    sim_status_kind status[SIM_MAX_INSTRUMENTS];
    double cum_relief_dealt;
    long cum_released_dealt;
    int last_us_deal; /* 0-based round of the last US deal, -1 if none */
    int no_deal_streak;

    /* This round. */
    bool exercise, renewal, election[SIM_N_ACTORS];
    bool engagement_only[SIM_N_ACTORS]; /* no instrument on the table */
    double drone_factor, exercise_tension;
    double w[SIM_N_ACTORS][SIM_N_FEATURES]; /* weights after elections */
    long drones, spies;
};

/* ---- workspace.c: the world's state and the round's streams ---- */

/* Puts the world in its state before round 1; the models are reset apart,
 * by sim_workspace_reset_models. */
void sim_workspace_reset(sim_workspace *ws);

/* Resets every model instance for a new replication, in actor then role
 * order. Returns 0 or a model's error code. */
int sim_workspace_reset_models(sim_workspace *ws, sim_err *err);

/* Seeds every random stream for round t of replication rep. */
void sim_workspace_seed_round(sim_workspace *ws, uint64_t master, uint64_t rep,
                              int t);

/* Prisoners held now, all kinds. */
long sim_workspace_held(const sim_workspace *ws);

/* The going price: relief dealt per prisoner released in deals so far,
 * $bn/yr; NaN before any release. */
double sim_workspace_going_price(const sim_workspace *ws);

/* True while Washington, engaged, presses the EU after a recent deal. */
bool sim_workspace_us_pressure(const sim_workspace *ws);

/* ---- utility.c: features and utility of hypothetical states ---- */

/* A hypothetical state for feature evaluation; status is borrowed. */
typedef struct sim_view {
    const sim_status_kind *status;
    bool pl_open, lt_open, klaipeda_open, frozen;
    double tension;
    long prisoners;
} sim_view;

/* The world as it is now. */
sim_view sim_utility_view(const sim_workspace *ws);

/* Fills the workspace's per-instrument tables from its scenario. */
void sim_utility_prepare(sim_workspace *ws);

/* Fills f[SIM_N_FEATURES] with the flow features of v (event features 0). */
void sim_utility_features(const sim_workspace *ws, const sim_view *v,
                          double *f);

/* Weights w times features f, over SIM_N_FEATURES. */
double sim_utility_dot(const double *w, const double *f);

/* Actor a's utility gain, this round, of view b over view a0. */
double sim_utility_gain(const sim_workspace *ws, int a, const sim_view *a0,
                        const sim_view *b);

/* Sum of delta^s for s = 0 .. horizon-1, or for s >= 0 if horizon <= 0
 * (1 / (1 - delta); infinite if delta is 1). Workspaces keep each actor's
 * in ws->annuity. */
double sim_utility_annuity(double delta, int horizon);

/* Marginal gain to actor a of releasing one prisoner of kind k now, the
 * prisoners feature weighted by the annuity A. */
double sim_utility_release_gain(const sim_workspace *ws, int a, int k,
                                double A);

/* ---- decision.c: signals and decisions through the model instances ---- */

/* Fills d's signals for actor with the given gain and status signal. */
void sim_decision_signals(const sim_workspace *ws, int actor, double gain,
                          double status, sim_decision *d);

/* Completes d (role, actor, parameters, stream) and asks the actor's model
 * for the role. Returns 0 or the model's error code. */
int sim_decision_decide(sim_workspace *ws, int actor, int role, sim_decision *d,
                        sim_action *out, sim_err *err);

/* Tells the actor's model for the role the outcome of d. */
void sim_decision_observe(sim_workspace *ws, int actor, int role,
                          const sim_decision *d, bool accepted);

/* A binary decision on the change from view now to view acting: *act is
 * true if the actor acts. Returns 0 or the model's error code. */
int sim_decision_choose(sim_workspace *ws, int actor, int role,
                        const sim_view *now, const sim_view *acting,
                        double status, bool *act, sim_err *err);

/* ---- calendar.c, shocks.c, neighbours.c: steps 0 to 2 of a round ---- */

/* Sets the round's events (exercise, renewal, elections) and the actors'
 * weights after elections. */
void sim_calendar_step(sim_workspace *ws);

/* Step 1: draws every shock of the round and applies it to the world;
 * counts go to res and rec. Returns 0 or SIM_E_NUMERIC. */
int sim_shocks_step(sim_workspace *ws, uint64_t master, uint64_t rep,
                    sim_rep_result *res, sim_round_record *rec, sim_err *err);

/* Step 2: the border and transit decisions. Returns 0 or an error code. */
int sim_neighbours_step(sim_workspace *ws, sim_err *err);

/* ---- track.c: the bargaining game and protocol of one track ---- */

typedef struct sim_track_result {
    int deal;  /* index in ws->game, -1 if none */
    int stage; /* 0-based */
} sim_track_result;

/* Builds the round's bargaining game between Minsk (side 0) and `other`
 * (side 1) over the active instruments of `imposer` into ws->game, solved,
 * and the order in which Minsk releases prisoners into ws (see
 * sim_track_composition). *m_out gets the number
 * of instruments on the table. Returns 0 or SIM_E_INTERNAL. */
int sim_track_build(sim_workspace *ws, sim_actor other, sim_imposer imposer, bool pressed,
                    int *m_out, sim_err *err);

/* Prisoners by kind, out[SIM_N_KINDS], in a deal of the last game built
 * that releases n. */
void sim_track_composition(const sim_workspace *ws, int n, long *out);

/* Runs a track's alternating offers (the EU's only if it has instruments
 * on the table) into *tr. Returns 0 or an error code. */
int sim_track_run(sim_workspace *ws, sim_actor other, sim_imposer imposer, bool pressed,
                  sim_track_result *tr, sim_err *err);

/* ---- eu.c: the EU's unanimity ---- */

/* Every veto-role holder votes on deal of ws->game; *vetoed is true if any
 * vetoed it. Returns 0 or an error code. */
int sim_eu_vote(sim_workspace *ws, int deal, bool pressed, bool *vetoed,
                sim_err *err);

/* The yearly renewal: if a renew-role holder refuses, every active EU
 * instrument lapses; *lapsed gets their mask. Returns 0 or an error code. */
int sim_eu_renewal(sim_workspace *ws, unsigned *lapsed, sim_err *err);

#endif
