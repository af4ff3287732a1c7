// The reference library, @cdklabs/cdk-appflow, synthesizing the same flows as
// `scripts/flows.py N` gives flowform: Salesforce → S3 on demand with a map-all, a
// filter, a mask and a validation, sharing one profile and one bucket.
// Usage: node synth.js N OUT_DIR   (run by scripts/bench-vs-cdk.py)
const count = Number.parseInt(process.argv[2], 10);
const outdir = process.argv[3];

const cdk = require('aws-cdk-lib');
const s3 = require('aws-cdk-lib/aws-s3');
const secretsmanager = require('aws-cdk-lib/aws-secretsmanager');
const appflow = require('@cdklabs/cdk-appflow');

const secretArn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:appflow/sf-AbCdEf';
const app = new cdk.App({ outdir });
const stack = new cdk.Stack(app, 'bench');
const bucket = new s3.Bucket(stack, 'Lake');
const client = secretsmanager.Secret.fromSecretCompleteArn(stack, 'SfClient', secretArn);
const profile = new appflow.SalesforceConnectorProfile(stack, 'Salesforce', {
  instanceUrl: 'https://acme.my.salesforce.com',
  oAuth: {
    flow: {
      refreshTokenGrant: {
        refreshToken: cdk.SecretValue.secretsManager(secretArn, { jsonField: 'refreshToken' }),
        client,
      },
    },
  },
});

for (let n = 0; n < count; n++) {
  new appflow.OnDemandFlow(stack, `Flow${n}`, {
    source: new appflow.SalesforceSource({ profile, object: 'Account' }),
    destination: new appflow.S3Destination({ location: { bucket, prefix: `accounts/${n}` } }),
    mappings: [appflow.Mapping.mapAll({ exclude: ['Secret__c'] })],
    filters: [
      appflow.Filter.when(
        appflow.FilterCondition.timestampGreaterThanEquals(
          { name: 'CreatedDate', dataType: 'datetime' },
          new Date('2022-02-02T00:00:00Z'),
        ),
      ),
    ],
    transforms: [appflow.Transform.maskEnd('Phone', 4)],
    validations: [
      appflow.Validation.when(appflow.ValidationCondition.isNull('Id'), appflow.ValidationAction.ignoreRecord()),
    ],
  });
}

app.synth();
