#!/usr/bin/env python3
"""Trim botocore's IAM and STS service models to what the Query protocol layer needs.

Usage: python3 scripts/gen-query-models.py [output-dir]

Reads data/iam/2010-05-08/service-2.json.gz and data/sts/2011-06-15/service-2.json.gz from the
installed botocore and writes src/protocol/model/iam-model.json and sts-model.json: the listed
operations (input/output shape names, the output's resultWrapper, error shape names) and only
the shapes they reach. Per shape: type, members, required, list member, map key/value, the
constraints the validator checks (min, max, pattern, enum, sensitive), the XML serialization
traits the decoder and encoder follow (locationName, flattened, xmlNamespace, timestampFormat,
on the shape itself or on the reference to it) and, for error shapes, `error` and `exception`.
Documentation and everything else is dropped so the committed files stay small and diffable.
Same layout as scripts/gen-kms-model.py, so the KMS constraint checker reads them unchanged.
"""

import gzip
import json
import os
import sys

import botocore

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_OUT_DIR = os.path.join(REPO_ROOT, "src", "protocol", "model")

IAM_OPERATIONS = """
CreateUser GetUser ListUsers DeleteUser UpdateUser TagUser UntagUser ListUserTags
CreateAccessKey ListAccessKeys UpdateAccessKey DeleteAccessKey GetAccessKeyLastUsed
PutUserPolicy GetUserPolicy ListUserPolicies DeleteUserPolicy
PutRolePolicy GetRolePolicy ListRolePolicies DeleteRolePolicy
PutGroupPolicy GetGroupPolicy ListGroupPolicies DeleteGroupPolicy
CreateRole GetRole ListRoles DeleteRole UpdateRole UpdateRoleDescription UpdateAssumeRolePolicy
TagRole UntagRole ListRoleTags
CreatePolicy GetPolicy DeletePolicy ListPolicies CreatePolicyVersion GetPolicyVersion
ListPolicyVersions DeletePolicyVersion SetDefaultPolicyVersion TagPolicy UntagPolicy ListPolicyTags
AttachUserPolicy DetachUserPolicy AttachRolePolicy DetachRolePolicy AttachGroupPolicy DetachGroupPolicy
ListAttachedUserPolicies ListAttachedRolePolicies ListAttachedGroupPolicies ListEntitiesForPolicy
CreateGroup GetGroup ListGroups DeleteGroup UpdateGroup AddUserToGroup RemoveUserFromGroup
ListGroupsForUser SimulatePrincipalPolicy SimulateCustomPolicy
""".split()

STS_OPERATIONS = "GetCallerIdentity AssumeRole GetSessionToken GetAccessKeyInfo".split()

SERVICES = (
    ("iam", "2010-05-08", IAM_OPERATIONS),
    ("sts", "2011-06-15", STS_OPERATIONS),
)

METADATA_KEYS = ("apiVersion", "xmlNamespace", "protocol", "endpointPrefix", "serviceId")
# Copied verbatim when present; order here is the order in the output.
CONSTRAINT_KEYS = ("min", "max", "pattern", "enum", "sensitive")
# XML serialization traits botocore reads from a shape or from the reference to it (a
# reference's traits override the shape's: botocore.model.ShapeResolver.resolve_shape_ref).
TRAIT_KEYS = ("locationName", "flattened", "xmlNamespace", "timestampFormat")
ERROR_KEYS = ("error", "exception")


def load_model(service, version):
    rel = os.path.join("data", service, version, "service-2.json.gz")
    path = os.path.join(os.path.dirname(botocore.__file__), rel)
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return json.load(f)


def ref_traits(ref):
    return {k: ref[k] for k in TRAIT_KEYS if k in ref}


def trim_operation(op):
    out = {}
    if "input" in op:
        out["input"] = op["input"]["shape"]
    if "output" in op:
        out["output"] = op["output"]["shape"]
        if "resultWrapper" in op["output"]:
            out["resultWrapper"] = op["output"]["resultWrapper"]
    out["errors"] = [e["shape"] for e in op.get("errors", [])]
    return out


def trim_shape(shape):
    out = {"type": shape["type"]}
    kind = shape["type"]
    if kind == "structure":
        members = shape.get("members", {})
        # Member order is kept: it decides the order of validation messages and of XML elements.
        out["members"] = {name: m["shape"] for name, m in members.items()}
        traits = {name: ref_traits(m) for name, m in members.items() if ref_traits(m)}
        if traits:
            out["memberTraits"] = traits
        if shape.get("required"):
            out["required"] = list(shape["required"])
    elif kind == "list":
        out["member"] = shape["member"]["shape"]
        if ref_traits(shape["member"]):
            out["memberTraits"] = ref_traits(shape["member"])
    elif kind == "map":
        out["key"] = shape["key"]["shape"]
        out["value"] = shape["value"]["shape"]
        if ref_traits(shape["key"]):
            out["keyTraits"] = ref_traits(shape["key"])
        if ref_traits(shape["value"]):
            out["valueTraits"] = ref_traits(shape["value"])
    for key in CONSTRAINT_KEYS + TRAIT_KEYS + ERROR_KEYS:
        if key in shape:
            out[key] = shape[key]
    return out


def referenced(shape):
    kind = shape["type"]
    if kind == "structure":
        return [m["shape"] for m in shape.get("members", {}).values()]
    if kind == "list":
        return [shape["member"]["shape"]]
    if kind == "map":
        return [shape["key"]["shape"], shape["value"]["shape"]]
    return []


def reachable_shapes(model, operations):
    seen = set()
    todo = []
    for op in operations.values():
        todo.extend(s for s in (op.get("input"), op.get("output")) if s)
        todo.extend(op["errors"])
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        todo.extend(referenced(model["shapes"][name]))
    return seen


def trim_model(service, version, names):
    model = load_model(service, version)
    missing = [n for n in names if n not in model["operations"]]
    if missing:
        raise SystemExit(f"{service}: botocore has no operation(s) {', '.join(missing)}")
    operations = {n: trim_operation(model["operations"][n]) for n in sorted(names)}
    shapes = reachable_shapes(model, operations)
    return {
        "_generated": (
            f"Generated by scripts/gen-query-models.py from botocore's {service.upper()} service model "
            f"(data/{service}/{version}/service-2.json.gz, Apache-2.0, Copyright Amazon.com, Inc. "
            "or its affiliates). Do not edit by hand; re-run the script."
        ),
        "botocoreVersion": botocore.__version__,
        "metadata": {k: model["metadata"][k] for k in METADATA_KEYS if k in model["metadata"]},
        "operations": operations,
        "shapes": {n: trim_shape(model["shapes"][n]) for n in sorted(shapes)},
    }


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_OUT_DIR
    os.makedirs(out_dir, exist_ok=True)
    for service, version, names in SERVICES:
        trimmed = trim_model(service, version, names)
        out_path = os.path.join(out_dir, f"{service}-model.json")
        with open(out_path, "w", encoding="utf-8") as f:
            json.dump(trimmed, f, indent=1, ensure_ascii=True)
            f.write("\n")
        print(f"wrote {out_path}: {len(trimmed['operations'])} operations, {len(trimmed['shapes'])} shapes")


if __name__ == "__main__":
    main()
