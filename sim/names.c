/* names.c - the names of the scenario's enumerations (actors, kinds of
 * prisoner, roles, utility features, shocks, event types, imposers) as
 * they appear in scenario keys and CSV columns, with the units and
 * meanings the reference prints. Generated from the X-macro lists of
 * scenario.h. */
#include <sanctionsim/scenario.h>

const char *const sim_event_type_names[] = {
    "exercise", "eu_renewal", "election", "engagement_only", NULL};
const char *const sim_imposer_names[] = {"us", "eu", NULL};
const char *const sim_actor_names[] = {
#define SIM_ACTOR_NAME(id, name) name,
    SIM_ACTORS(SIM_ACTOR_NAME)
#undef SIM_ACTOR_NAME
        NULL};

static const char *const kind_names[] = {
#define SIM_KIND_NAME(id, name) name,
    SIM_KINDS(SIM_KIND_NAME)
#undef SIM_KIND_NAME
};
static const char *const role_names[] = {
#define SIM_ROLE_NAME(id, name) name,
    SIM_ROLES(SIM_ROLE_NAME)
#undef SIM_ROLE_NAME
};
static const char *const feature_names[] = {
#define SIM_FEATURE_NAME(id, key, flow, unit, doc) key,
    SIM_FEATURES(SIM_FEATURE_NAME)
#undef SIM_FEATURE_NAME
};
static const bool feature_flow[] = {
#define SIM_FEATURE_FLOW(id, key, flow, unit, doc) flow,
    SIM_FEATURES(SIM_FEATURE_FLOW)
#undef SIM_FEATURE_FLOW
};
static const char *const feature_units[] = {
#define SIM_FEATURE_UNIT(id, key, flow, unit, doc) unit,
    SIM_FEATURES(SIM_FEATURE_UNIT)
#undef SIM_FEATURE_UNIT
};
static const char *const feature_docs[] = {
/* (doc): a doc may be several literals joined; the parentheses say so. */
#define SIM_FEATURE_DOC(id, key, flow, unit, doc) (doc),
    SIM_FEATURES(SIM_FEATURE_DOC)
#undef SIM_FEATURE_DOC
};
static const char *const shock_names[] = {
#define SIM_SHOCK_NAME(id, key, stock, stream, doc) key,
    SIM_SHOCKS(SIM_SHOCK_NAME)
#undef SIM_SHOCK_NAME
};
static const bool shock_stock[] = {
#define SIM_SHOCK_STOCK(id, key, stock, stream, doc) stock,
    SIM_SHOCKS(SIM_SHOCK_STOCK)
#undef SIM_SHOCK_STOCK
};
static const unsigned shock_streams[] = {
#define SIM_SHOCK_STREAM(id, key, stock, stream, doc) stream,
    SIM_SHOCKS(SIM_SHOCK_STREAM)
#undef SIM_SHOCK_STREAM
};
static const char *const shock_docs[] = {
#define SIM_SHOCK_DOC(id, key, stock, stream, doc) doc,
    SIM_SHOCKS(SIM_SHOCK_DOC)
#undef SIM_SHOCK_DOC
};

const char *sim_actor_name(int a)
{
    return sim_actor_names[a];
}

const char *sim_kind_name(int k)
{
    return kind_names[k];
}

const char *sim_role_name(int r)
{
    return role_names[r];
}

const char *sim_feature_name(int f)
{
    return feature_names[f];
}

bool sim_feature_is_flow(int f)
{
    return feature_flow[f];
}

const char *sim_feature_unit(int f)
{
    return feature_units[f];
}

const char *sim_feature_doc(int f)
{
    return feature_docs[f];
}

const char *sim_shock_name(int s)
{
    return shock_names[s];
}

unsigned sim_shock_stream(int s)
{
    return shock_streams[s];
}

bool sim_shock_is_stock(int s)
{
    return shock_stock[s];
}

const char *sim_shock_doc(int s)
{
    return shock_docs[s];
}
