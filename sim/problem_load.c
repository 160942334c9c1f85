/* problem_load.c - reads what `sanctionsim solve` takes (problem.h): a
 * Gambit .nfg game, or a libconfig file holding a normal-form `game` or a
 * Nash bargaining problem `nash`; any other file is a scenario, left to
 * sim_scenario_load. */
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "config_util_impl.h"
#include <sanctionsim/problem.h>

/* Reads a list of strings of length 1..max into names[][SIM_NFG_NAME_MAX]. */
static int load_names(const sim_loader *ld, const config_setting_t *l, int max,
                      char (*names)[SIM_NFG_NAME_MAX], int *n, const char *what)
{
    int t = config_setting_type(l);
    if (t != CONFIG_TYPE_LIST && t != CONFIG_TYPE_ARRAY)
        return sim_cfg_fail(ld, l,
                            "expected a list of %s names ( \"a\", \"b\" ), "
                            "found %s",
                            what, sim_cfg_type_word(t));
    int len = config_setting_length(l);
    if (len < 1 || len > max)
        return sim_cfg_fail(ld, l, "needs 1 to %d %s names, found %d", max,
                            what, len);
    for (int i = 0; i < len; i++) {
        const config_setting_t *e = config_setting_get_elem(l, (unsigned)i);
        if (config_setting_type(e) != CONFIG_TYPE_STRING)
            return sim_cfg_fail(ld, e, "expected a %s name in double quotes",
                                what);
        const char *s = config_setting_get_string(e);
        if (!s[0] || strlen(s) >= SIM_NFG_NAME_MAX)
            return sim_cfg_fail(ld, e, "a %s name must have 1 to %d characters",
                                what, SIM_NFG_NAME_MAX - 1);
        for (int j = 0; j < i; j++)
            if (strcmp(names[j], s) == 0)
                return sim_cfg_fail(ld, e, "duplicate %s name \"%s\"", what, s);
        memcpy(names[i], s, strlen(s) + 1);
    }
    *n = len;
    return 0;
}

static int load_game(const sim_loader *ld, const config_setting_t *g,
                     sim_nfg *game, sim_err *err)
{
    static const char *const keys[] = {"title", "players", "strategies",
                                       "payoffs"};
    int rc = sim_cfg_check_members(ld, g, keys, 4);
    if (rc)
        return rc;
    const config_setting_t *title = config_setting_get_member(g, "title");
    if (title) {
        if (config_setting_type(title) != CONFIG_TYPE_STRING)
            return sim_cfg_fail(ld, title,
                                "expected a string in double quotes");
        snprintf(game->title, sizeof game->title, "%s",
                 config_setting_get_string(title));
    }
    for (int i = 1; i < 4; i++)
        if ((rc = sim_cfg_require(ld, g, keys[i])))
            return rc;
    const config_setting_t *pl = config_setting_get_member(g, "players");
    if ((rc = load_names(ld, pl, SIM_NFG_MAX_PLAYERS, game->player,
                         &game->nplayers, "player")))
        return rc;
    const config_setting_t *st = config_setting_get_member(g, "strategies");
    if (config_setting_type(st) != CONFIG_TYPE_LIST ||
        config_setting_length(st) != game->nplayers)
        return sim_cfg_fail(
            ld, st, "expected a list of %d strategy lists, one per player",
            game->nplayers);
    for (int i = 0; i < game->nplayers; i++)
        if ((rc = load_names(ld, config_setting_get_elem(st, (unsigned)i),
                             SIM_NFG_MAX_STRATEGIES, game->strategy[i],
                             &game->nstrat[i], "strategy")))
            return rc;
    if ((rc = sim_nfg_alloc(game, err)))
        return rc;
    const config_setting_t *pay = config_setting_get_member(g, "payoffs");
    int t = config_setting_type(pay);
    if ((t != CONFIG_TYPE_LIST && t != CONFIG_TYPE_ARRAY) ||
        (size_t)config_setting_length(pay) != game->nprofiles)
        return sim_cfg_fail(
            ld, pay,
            "expected a list of %zu payoff entries, one per pure "
            "profile (player 0's strategy varying fastest), each "
            "( u_0, ..., u_%d )",
            game->nprofiles, game->nplayers - 1);
    for (size_t k = 0; k < game->nprofiles; k++) {
        const config_setting_t *e = config_setting_get_elem(pay, (unsigned)k);
        int et = config_setting_type(e);
        if ((et != CONFIG_TYPE_LIST && et != CONFIG_TYPE_ARRAY) ||
            config_setting_length(e) != game->nplayers)
            return sim_cfg_fail(ld, e,
                                "expected %d payoffs ( u_0, ... ), one per "
                                "player",
                                game->nplayers);
        for (int i = 0; i < game->nplayers; i++) {
            const config_setting_t *v = config_setting_get_elem(e, (unsigned)i);
            if (!sim_cfg_is_number(v) || !isfinite(sim_cfg_number(v)) ||
                fabs(sim_cfg_number(v)) > 1e12)
                return sim_cfg_fail(ld, v,
                                    "a payoff must be a finite number of at "
                                    "most 1e12 in size");
            game->payoff[k * (size_t)game->nplayers + (size_t)i] =
                sim_cfg_number(v);
        }
    }
    return 0;
}

static int load_nash(const sim_loader *ld, const config_setting_t *g,
                     sim_problem *p)
{
    static const sim_key keys[] = {
        {"a1", SIM_KEY_FLOAT, offsetof(sim_problem, nash.a1), 0, 1, 0, 1e6,
         NULL, NULL, "", "exponent of player 1's utility x^a1"},
        {"a2", SIM_KEY_FLOAT, offsetof(sim_problem, nash.a2), 0, 1, 0, 1e6,
         NULL, NULL, "", "exponent of player 2's utility (1-x)^a2"},
        {"power", SIM_KEY_FLOAT, offsetof(sim_problem, nash.power), 0, 0.5, 0,
         1, NULL, NULL, "", "player 1's bargaining power b"},
    };
    p->nash.a1 = p->nash.a2 = 1.0;
    p->nash.power = 0.5;
    return sim_cfg_load_keys(ld, g, keys, 3, NULL, 0, p);
}

static int load_problem(sim_problem *p, config_t *cfg, const char *label,
                        const char *const *sets, int nsets, sim_err *err)
{
    sim_loader ld = {label, err};
    const config_setting_t *root = config_root_setting(cfg);
    const config_setting_t *game = config_setting_get_member(root, "game");
    const config_setting_t *nash = config_setting_get_member(root, "nash");
    if (!game && !nash) {
        p->kind = SIM_PROBLEM_SCENARIO;
        return 0;
    }
    int rc;
    for (int i = 0; i < nsets; i++)
        if ((rc = sim_cfg_apply_set(cfg, sets[i], err)))
            return rc;
    static const char *const top[] = {"name", "description", "game", "nash"};
    if ((rc = sim_cfg_check_members(&ld, root, top, 4)))
        return rc;
    if (game && nash)
        return sim_cfg_fail(&ld, nash,
                            "a file holds either a game or a nash "
                            "problem, not both");
    const config_setting_t *name = config_setting_get_member(root, "name");
    if (name) {
        if (config_setting_type(name) != CONFIG_TYPE_STRING)
            return sim_cfg_fail(&ld, name,
                                "expected a string in double quotes");
        snprintf(p->name, sizeof p->name, "%s",
                 config_setting_get_string(name));
    }
    const config_setting_t *g = game ? game : nash;
    if (!config_setting_is_group(g))
        return sim_cfg_fail(&ld, g, "expected a group { ... }, found %s",
                            sim_cfg_type_word(config_setting_type(g)));
    if (game) {
        p->kind = SIM_PROBLEM_GAME;
        return load_game(&ld, game, &p->game, err);
    }
    p->kind = SIM_PROBLEM_NASH;
    return load_nash(&ld, nash, p);
}

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

int sim_problem_load(sim_problem *p, const char *path, const char *const *sets,
                     int nsets, sim_err *err)
{
    memset(p, 0, sizeof *p);
    if (has_suffix(path, ".nfg")) {
        if (nsets)
            return sim_error(err, SIM_E_USAGE,
                             "--set applies to scenario files, not to the "
                             "Gambit file %s",
                             path);
        p->kind = SIM_PROBLEM_GAME;
        snprintf(p->name, sizeof p->name, "%s", path);
        return sim_nfg_read_file(path, &p->game, err);
    }
    config_t cfg;
    int rc = sim_cfg_read_file(&cfg, path, true, err);
    if (!rc)
        rc = load_problem(p, &cfg, path, sets, nsets, err);
    config_destroy(&cfg);
    if (rc)
        sim_problem_free(p);
    return rc;
}

int sim_problem_load_string(sim_problem *p, const char *text, const char *label,
                            const char *const *sets, int nsets, sim_err *err)
{
    memset(p, 0, sizeof *p);
    config_t cfg;
    int rc = sim_cfg_read_string(&cfg, text, label, err);
    if (!rc)
        rc = load_problem(p, &cfg, label, sets, nsets, err);
    config_destroy(&cfg);
    if (rc)
        sim_problem_free(p);
    return rc;
}

void sim_problem_free(sim_problem *p)
{
    sim_nfg_free(&p->game);
}
