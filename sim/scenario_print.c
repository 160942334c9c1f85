/* scenario_print.c - writes a resolved scenario in libconfig syntax
 * (`sanctionsim check`, the manifest): loading the output gives the same
 * scenario. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <sanctionsim/model.h>
#include <sanctionsim/scenario.h>

/* A double in the shortest %g form that reads back exactly, always with a
 * '.' or an exponent so that libconfig reads it as a float. */
static void print_double(FILE *out, double v)
{
    char buf[40];
    for (int prec = 6; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    fputs(buf, out);
    if (!strpbrk(buf, ".eEn"))
        fputs(".0", out);
}

void sim_scenario_print_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fputc('\\', out);
        if (c == '\n')
            fputs("\\n", out);
        else if (c < 0x20 || c == 0x7f) /* no terminal control reaches out */
            fprintf(out, "\\x%02x", c);
        else
            fputc(c, out);
    }
    fputc('"', out);
}

static void print_key(FILE *out, int indent, const sim_key *k, const void *base)
{
    const char *p = (const char *)base + k->offset;
    fprintf(out, "%*s%s = ", indent, "", k->name);
    switch (k->type) {
    case SIM_KEY_INT:
        fprintf(out, "%d", *(const int *)p);
        break;
    case SIM_KEY_INT64:
        fprintf(out, "%" PRId64 "L", *(const int64_t *)p);
        break;
    case SIM_KEY_FLOAT: {
        double v;
        memcpy(&v, p, sizeof v);
        print_double(out, v);
        break;
    }
    case SIM_KEY_BOOL:
        fputs(*(const bool *)p ? "true" : "false", out);
        break;
    case SIM_KEY_STRING:
        sim_scenario_print_string(out, p);
        break;
    case SIM_KEY_CHOICE:
        sim_scenario_print_string(out, k->choices[*(const int *)p]);
        break;
    }
    fputs(";\n", out);
}

static void print_model(FILE *out, int indent, const sim_model_spec *m)
{
    fprintf(out, "%*s{\n", indent, "");
    fprintf(out, "%*smodel = ", indent + 2, "");
    sim_scenario_print_string(out, m->type->name);
    fputs(";\n", out);
    for (int i = 0; i < m->type->nparams; i++)
        print_key(out, indent + 2, &m->type->params[i], m->param);
    fprintf(out, "%*s};\n", indent, "");
}

/* The flat sections: top-level keys, then one group per section. */
static void print_sections(const sim_scenario *sc, FILE *out, int ind)
{
    for (int s = 0; s < sim_n_sections; s++) {
        const sim_section *sec = &sim_sections[s];
        int in = ind;
        if (sec->path[0]) {
            fprintf(out, "%*s%s = {\n", ind, "", sec->path);
            in += 2;
        }
        for (int i = 0; i < sec->nkeys; i++)
            print_key(out, in, &sec->keys[i], sc);
        if (sec->path[0])
            fprintf(out, "%*s};\n", ind, "");
    }
}

/* `shocks = { <shock> = { dist = ...; <parameters> }; ... };` */
static void print_shocks(const sim_scenario *sc, FILE *out, int ind)
{
    fprintf(out, "%*sshocks = {\n", ind, "");
    for (int i = 0; i < SIM_N_SHOCKS; i++) {
        const sim_dist *d = &sc->shock[i];
        fprintf(out, "%*s%s = { dist = \"%s\";", ind + 2, "", sim_shock_name(i),
                sim_dist_name(d->type));
        for (int j = 0; j < sim_dist_nparams(d->type); j++) {
            if (sim_shock_is_stock(i) && d->type == SIM_DIST_BINOMIAL && j == 1)
                continue; /* n is the stock */
            fprintf(out, " %s = ", sim_dist_param_info(d->type, j)->name);
            print_double(out, d->p[j]);
            fputc(';', out);
        }
        fputs(" };\n", out);
    }
    fprintf(out, "%*s};\n", ind, "");
}

/* One actor's group: discounts, weights, its roles and a model for each. */
static void print_actor(const sim_scenario *sc, int a, FILE *out, int ind)
{
    const sim_actor_spec *as = &sc->actor[a];
    fprintf(out, "%*s%s = {\n", ind, "", sim_actor_name(a));
    fprintf(out, "%*sdiscount = ", ind + 2, "");
    print_double(out, as->discount);
    fprintf(out, ";\n%*sstage_discount = ", ind + 2, "");
    print_double(out, as->stage_discount);
    fprintf(out, ";\n%*sweights = {\n", ind + 2, "");
    for (int f = 0; f < SIM_N_FEATURES; f++) {
        fprintf(out, "%*s%s = ", ind + 4, "", sim_feature_name(f));
        print_double(out, as->weight[f]);
        fputs(";\n", out);
    }
    fprintf(out, "%*s};\n%*sroles = [", ind + 2, "", ind + 2, "");
    const char *sep = "";
    for (int r = 0; r < SIM_N_ROLES; r++)
        if (sim_actor_has_role(sc, a, r)) {
            fputs(sep, out);
            sim_scenario_print_string(out, sim_role_name(r));
            sep = ", ";
        }
    fputs("];\n", out);
    if (sim_actor_withholds(sc, a)) { /* partial relief: what it offers */
        fprintf(out, "%*soffers = [", ind + 2, "");
        sep = "";
        for (int i = 0; i < sc->n_instruments; i++)
            if ((int)sc->instrument[i].imposer == sim_actor_imposer(a) &&
                !sc->instrument[i].withheld) {
                fputs(sep, out);
                sim_scenario_print_string(out, sc->instrument[i].name);
                sep = ", ";
            }
        fputs("];\n", out);
    }
    for (int r = 0; r < SIM_N_ROLES; r++) {
        if (!sim_actor_has_role(sc, a, r))
            continue;
        fprintf(out, "%*s%s =\n", ind + 2, "", sim_role_name(r));
        print_model(out, ind + 2, &as->model[r]);
    }
    fprintf(out, "%*s};\n", ind, "");
}

/* `name = ( { ... }, ... );`: n structs of `stride` bytes from base, each
 * with the keys keys[0..nkeys). */
static void print_list(FILE *out, int ind, const char *name,
                       const sim_key *keys, int nkeys, const void *base,
                       size_t stride, int n)
{
    fprintf(out, "%*s%s = (", ind, "", name);
    for (int i = 0; i < n; i++) {
        const char *elem = (const char *)base + (size_t)i * stride;
        fprintf(out, "%s\n%*s{\n", i ? "," : "", ind + 2, "");
        for (int k = 0; k < nkeys; k++)
            print_key(out, ind + 4, &keys[k], elem);
        fprintf(out, "%*s}", ind + 2, "");
    }
    fprintf(out, "%s);\n", n ? "\n" : "");
}

void sim_scenario_print(const sim_scenario *sc, FILE *out, int ind)
{
    print_sections(sc, out, ind);
    print_shocks(sc, out, ind);
    fprintf(out, "%*sactors = {\n", ind, "");
    for (int a = 0; a < SIM_N_ACTORS; a++)
        print_actor(sc, a, out, ind + 2);
    fprintf(out, "%*s};\n", ind, "");
    print_list(out, ind, "instruments", sim_instrument_keys,
               sim_n_instrument_keys, sc->instrument, sizeof sc->instrument[0],
               sc->n_instruments);
    print_list(out, ind, "calendar", sim_event_keys, sim_n_event_keys,
               sc->event, sizeof sc->event[0], sc->n_events);
}
