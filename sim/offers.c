/* offers.c - partial relief: `actors.<actor>.offers`, the instruments an
 * imposer's negotiator is willing to lift in a deal (issue 11). Without
 * the key every instrument of its imposer is on the table; with it, the
 * others are withheld: never part of a deal (they can still lapse at the
 * EU's renewal). */
#include <string.h>

#include "scenario_load_impl.h"
#include <sanctionsim/suggest.h>

int sim_actor_imposer(int actor)
{
    switch (actor) {
    case SIM_ACTOR_WASHINGTON:
        return SIM_IMPOSER_US;
    case SIM_ACTOR_EU:
        return SIM_IMPOSER_EU;
    default:
        return -1;
    }
}

bool sim_actor_withholds(const sim_scenario *sc, int actor)
{
    int imp = sim_actor_imposer(actor);
    for (int i = 0; imp >= 0 && i < sc->n_instruments; i++)
        if (sc->instrument[i].withheld &&
            (int)sc->instrument[i].imposer == imp)
            return true;
    return false;
}

/* The index of the instrument named `name`, or -1. */
static int find_instrument(const sim_scenario *sc, const char *name)
{
    for (int i = 0; i < sc->n_instruments; i++)
        if (strcmp(sc->instrument[i].name, name) == 0)
            return i;
    return -1;
}

/* Reads actor a's offers list l: every entry an instrument of a's
 * imposer, each once; the imposer's other instruments are withheld. */
static int load_list(const sim_loader *ld, const config_setting_t *l, int a,
                     sim_scenario *sc)
{
    int t = config_setting_type(l);
    int imp = sim_actor_imposer(a);
    if (t != CONFIG_TYPE_ARRAY && t != CONFIG_TYPE_LIST)
        return sim_cfg_fail(ld, l,
                            "expected a list of instrument names "
                            "[\"%s_...\", ...], found %s",
                            sim_imposer_names[imp], sim_cfg_type_word(t));
    bool listed[SIM_MAX_INSTRUMENTS] = {false};
    for (int k = 0; k < config_setting_length(l); k++) {
        const config_setting_t *e = config_setting_get_elem(l, (unsigned)k);
        if (config_setting_type(e) != CONFIG_TYPE_STRING)
            return sim_cfg_fail(ld, e,
                                "expected an instrument name in double "
                                "quotes, found %s",
                                sim_cfg_type_word(config_setting_type(e)));
        const char *v = config_setting_get_string(e);
        int i = find_instrument(sc, v);
        if (i < 0) {
            const char *names[SIM_MAX_INSTRUMENTS];
            char hint[256];
            for (int j = 0; j < sc->n_instruments; j++)
                names[j] = sc->instrument[j].name;
            sim_suggest(v, names, sc->n_instruments, hint, sizeof hint);
            return sim_cfg_fail(ld, e, "no instrument is named \"%s\"%s", v,
                                hint);
        }
        if ((int)sc->instrument[i].imposer != imp)
            return sim_cfg_fail(ld, e,
                                "\"%s\" is imposed by %s, not %s: %s can "
                                "offer only its own instruments",
                                v, sim_imposer_names[sc->instrument[i].imposer],
                                sim_imposer_names[imp], sim_actor_name(a));
        if (listed[i])
            return sim_cfg_fail(ld, e, "\"%s\" is listed twice", v);
        listed[i] = true;
    }
    for (int i = 0; i < sc->n_instruments; i++)
        if ((int)sc->instrument[i].imposer == imp)
            sc->instrument[i].withheld = !listed[i];
    return 0;
}

int sim_load_offers(const sim_loader *ld, const config_setting_t *root,
                    sim_scenario *sc)
{
    const config_setting_t *g = config_setting_get_member(root, "actors");
    for (int a = 0; g && a < SIM_N_ACTORS; a++) {
        const config_setting_t *ag =
            config_setting_get_member(g, sim_actor_name(a));
        const config_setting_t *l =
            ag ? config_setting_get_member(ag, "offers") : NULL;
        if (!l)
            continue;
        if (sim_actor_imposer(a) < 0)
            return sim_cfg_fail(ld, l,
                                "%s imposes no instruments, so it has none "
                                "to offer (offers is for washington and eu)",
                                sim_actor_name(a));
        int rc = load_list(ld, l, a, sc);
        if (rc)
            return rc;
    }
    return 0;
}
