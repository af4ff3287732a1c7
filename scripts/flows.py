#!/usr/bin/env python3
"""Prints a flowform file with N flows (Salesforce -> S3 with a map-all, a filter, a mask and a
validation, sharing one profile and one bucket): the benchmark and CI splitting input.
Usage: scripts/flows.py N [FIRST_INDEX]"""
import sys

n = int(sys.argv[1])
first = int(sys.argv[2]) if len(sys.argv) > 2 else 0
print('''[stack]
name = "bench"

[bucket.lake]

[secret.sf-client]
import = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:appflow/sf-AbCdEf"

[profile.salesforce.salesforce]
instance-url = "https://acme.my.salesforce.com"
oauth.access-token = { secret = "sf-client", key = "accessToken" }
oauth.refresh-token = { secret = "sf-client", key = "refreshToken" }
oauth.client-secret = "sf-client"
''')
for i in range(first, first + n):
    print(f'''[flow.flow-{i:05}]
source.salesforce = {{ profile = "salesforce", object = "Account" }}
destination.s3 = {{ bucket = "lake", prefix = "accounts/{i}" }}
map-all = {{ exclude = ["Secret__c"] }}
filter = [{{ field = "CreatedDate", type = "datetime", op = ">=", value = 2022-02-02T00:00:00Z }}]
mask = [{{ field = "Phone", last = 4 }}]
validate = [{{ field = "Id", check = "not-null" }}]
''')
