/* threshold.c - the threshold rule (MODEL.md section 4, `threshold`).
 *
 * The actor acts when a weighted score of what it observes crosses a
 * threshold:  score = sum_s c_s x_s  over the signals of model.h.
 * Without noise it acts iff score > threshold (accepting roles: >=). With
 * noise sigma > 0 it acts with the logistic probability
 *     P(act) = 1 / (1 + exp(-(score - threshold) / sigma)),
 * one uniform draw from the actor's decision stream per decision. */
#include <sanctionsim/model.h>

#include <math.h>

enum { P_THRESHOLD, P_NOISE, P_COEF };

#define PKEY(i, key, d, lo, hi, unit, doc)                                    \
    {key, SIM_KEY_FLOAT, (i) * sizeof(double), 0, d, lo, hi, NULL, NULL,      \
     unit, doc}

static const sim_key params[] = {
    PKEY(P_THRESHOLD, "threshold", 0, -1e9, 1e9, "score",
         "act when the score exceeds this"),
    PKEY(P_NOISE, "noise", 0, 0, 1e9, "score",
         "logistic noise scale (0: deterministic)"),
#define SIM_SIGNAL_PARAM(id, key, doc)                                        \
    PKEY(P_COEF + SIM_SIGNAL_##id, "c_" key, SIM_SIGNAL_##id == SIM_SIGNAL_GAIN, -1e9,  \
         1e9, "", "weight of the signal: " doc),
    SIM_SIGNALS(SIM_SIGNAL_PARAM)
#undef SIM_SIGNAL_PARAM
};

static int threshold_decide(void *state, const sim_decision *d,
                            sim_action *out, sim_err *err)
{
    (void)state;
    (void)err;
    const double *p = d->param;
    double score = 0.0;
    for (int s = 0; s < SIM_N_SIGNALS; s++)
        score += p[P_COEF + s] * d->signal[s];
    double margin = score - p[P_THRESHOLD];
    bool accepting = d->role == SIM_ROLE_RESPOND || d->role == SIM_ROLE_VETO ||
                     d->role == SIM_ROLE_RENEW;
    if (p[P_NOISE] > 0.0) {
        /* logistic CDF, computed without overflow for large |margin| */
        double z = -margin / p[P_NOISE];
        double prob = z > 0 ? exp(-z) / (1.0 + exp(-z)) : 1.0 / (1.0 + exp(z));
        out->act = gsl_rng_uniform(d->rng) < prob;
    } else {
        out->act = accepting ? margin >= 0.0 : margin > 0.0;
    }
    return 0;
}

const sim_model_type sim_model_threshold = {
    .name = "threshold",
    .doc = "A rule: act when the weighted score sum_s c_s x_s of the "
           "observed signals exceeds `threshold`, optionally with logistic "
           "noise. For responses the gain signal is the offered deal's gain "
           "over no deal.",
    .roles = (1u << SIM_ROLE_RESPOND) | (1u << SIM_ROLE_VETO) |
             (1u << SIM_ROLE_BORDER) | (1u << SIM_ROLE_TRANSIT) |
             (1u << SIM_ROLE_RENEW),
    .params = params,
    .nparams = (int)(sizeof params / sizeof params[0]),
    .state_size = 0,
    .init = NULL,
    .decide = threshold_decide,
    .observe = NULL,
};
