#!/usr/bin/env python3
"""A representative KMS flow through boto3, for test/e2e/boto3.test.ts.

Usage: boto3_kms_check.py ENDPOINT_URL [flow|probe]

Credentials and region come from the environment (AWS_SHARED_CREDENTIALS_FILE + AWS_PROFILE, or
AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY; AWS_DEFAULT_REGION). Prints exactly one JSON line on
stdout: {"ok": true, ...results} or {"ok": false, "failure": "..."} and exits 0 either way, so the
calling test can show what went wrong. "probe" only calls ListKeys and reports the outcome.
"""

import json
import sys
import traceback
import uuid

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError


def error_of(err):
    """The parts of a botocore ClientError the test asserts on."""
    return {
        "code": err.response["Error"]["Code"],
        "message": err.response["Error"].get("Message"),
        "status": err.response["ResponseMetadata"].get("HTTPStatusCode"),
        "class": type(err).__name__,
    }


def expect_error(fn, exception_class):
    """Runs fn, which must raise exception_class (a modeled client.exceptions.X)."""
    try:
        fn()
    except exception_class as err:
        return error_of(err)
    except ClientError as err:
        raise AssertionError("expected %s, got %r" % (exception_class.__name__, error_of(err)))
    raise AssertionError("expected %s, but the call succeeded" % exception_class.__name__)


def check(condition, what):
    if not condition:
        raise AssertionError(what)


def probe(kms):
    try:
        keys = kms.list_keys()
        return {"listed": len(keys["Keys"])}
    except ClientError as err:
        return {"error": error_of(err)}


def flow(kms):
    out = {}
    suffix = uuid.uuid4().hex[:8]

    # CreateKey with a description and tags; DescribeKey.
    meta = kms.create_key(
        Description="boto3 check " + suffix,
        Tags=[{"TagKey": "sdk", "TagValue": "boto3"}],
    )["KeyMetadata"]
    key_id, key_arn = meta["KeyId"], meta["Arn"]
    out["keyId"] = key_id
    out["arn"] = key_arn
    out["account"] = meta["AWSAccountId"]
    out["keyState"] = meta["KeyState"]
    out["creationDateIsDatetime"] = hasattr(meta["CreationDate"], "timestamp")
    described = kms.describe_key(KeyId=key_arn)["KeyMetadata"]
    check(described["KeyId"] == key_id, "DescribeKey by ARN returned another key")
    check(described["Description"] == "boto3 check " + suffix, "description not kept")

    # An alias, and encryption through it with a context.
    alias = "alias/boto3-" + suffix
    kms.create_alias(AliasName=alias, TargetKeyId=key_id)
    aliases = kms.list_aliases(KeyId=key_id)["Aliases"]
    out["aliases"] = [a["AliasName"] for a in aliases]

    plaintext = b"boto3 plaintext \x00\xff " + suffix.encode()
    context = {"purpose": "boto3-check", "tenant": "t-" + suffix}
    enc = kms.encrypt(KeyId=alias, Plaintext=plaintext, EncryptionContext=context)
    out["encryptKeyId"] = enc["KeyId"]
    out["encryptionAlgorithm"] = enc["EncryptionAlgorithm"]
    check(isinstance(enc["CiphertextBlob"], bytes), "CiphertextBlob is not bytes")
    check(plaintext not in enc["CiphertextBlob"], "plaintext visible in the ciphertext")
    dec = kms.decrypt(CiphertextBlob=enc["CiphertextBlob"], EncryptionContext=dict(reversed(list(context.items()))))
    out["decryptRoundTrip"] = dec["Plaintext"] == plaintext
    out["decryptKeyId"] = dec["KeyId"]

    # Decrypting with the wrong context.
    out["wrongContext"] = expect_error(
        lambda: kms.decrypt(CiphertextBlob=enc["CiphertextBlob"], EncryptionContext={"purpose": "other"}),
        kms.exceptions.InvalidCiphertextException,
    )

    # A data key: the plaintext is 32 bytes and its ciphertext decrypts to it.
    dk = kms.generate_data_key(KeyId=key_arn, KeySpec="AES_256", EncryptionContext={"file": "a.txt"})
    out["dataKeyLength"] = len(dk["Plaintext"])
    dk_dec = kms.decrypt(CiphertextBlob=dk["CiphertextBlob"], EncryptionContext={"file": "a.txt"})
    out["dataKeyRoundTrip"] = dk_dec["Plaintext"] == dk["Plaintext"]

    # ListKeys through the paginator, one key a page, with two more keys so there are pages.
    extra = [kms.create_key()["KeyMetadata"]["KeyId"] for _ in range(2)]
    paginator = kms.get_paginator("list_keys")
    pages = 0
    listed = []
    for page in paginator.paginate(PaginationConfig={"PageSize": 1}):
        pages += 1
        listed.extend(k["KeyId"] for k in page["Keys"])
        if pages > 100:
            raise AssertionError("the paginator does not end")
    out["pages"] = pages
    out["listedAll"] = all(k in listed for k in [key_id] + extra)
    out["listedDistinct"] = len(listed) == len(set(listed))
    out["listedCount"] = len(listed)

    # DescribeKey of an unknown key.
    out["notFound"] = expect_error(
        lambda: kms.describe_key(KeyId="11111111-2222-3333-4444-555555555555"),
        kms.exceptions.NotFoundException,
    )

    # 4097 bytes of plaintext: botocore does not check the maximum, so the server must.
    out["tooLong"] = expect_error(
        lambda: kms.encrypt(KeyId=key_id, Plaintext=b"\x01" * 4097),
        kms.exceptions.ClientError,
    )

    # GenerateRandom.
    out["randomLength"] = len(kms.generate_random(NumberOfBytes=24)["Plaintext"])
    return out


def main():
    endpoint = sys.argv[1]
    mode = sys.argv[2] if len(sys.argv) > 2 else "flow"
    kms = boto3.client(
        "kms",
        endpoint_url=endpoint,
        config=Config(retries={"max_attempts": 1, "mode": "standard"}),
    )
    try:
        result = probe(kms) if mode == "probe" else flow(kms)
        print(json.dumps({"ok": True, "region": kms.meta.region_name, **result}, sort_keys=True))
    except Exception as err:  # report, do not crash: the test prints this
        print(json.dumps({"ok": False, "failure": "%s: %s" % (type(err).__name__, err), "trace": traceback.format_exc()}))


if __name__ == "__main__":
    main()
