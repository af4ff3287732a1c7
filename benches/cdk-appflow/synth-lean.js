// The reference library at its best: the same flows, from the same constructs, as
// synth.js (keep the two in step; scripts/bench-vs-cdk.py checks that both write the same
// Resources), but in an App set up the way cdk-appflow's own integration snapshots are
// made, so the CDK does no work that never reaches the template:
//
// - `treeMetadata: false`, as every test/integ/*.integ.ts in cdklabs/cdk-appflow sets;
// - what its projen snapshot task (`cdk synth --no-version-reporting --no-asset-metadata
//   --no-path-metadata`) and integ-runner (aws/aws-cdk-cli) tell the app: no path metadata, no
//   asset metadata, no version reporting (the context keys the CLI's toolkit-lib writes
//   for those flags: toolkit-lib/lib/api/cloud-assembly/environment.ts);
// - no construct creation stack traces (`aws:cdk:disable-creation-stack-traces`, which
//   integ-runner sets for every snapshot: integ-runner/lib/runner/cdk-test-app.ts) and no
//   annotation stack traces (`stackTraces: false`, i.e. `aws:cdk:disable-stack-trace`,
//   what the CDK's cdk-build-tools get with CDK_DISABLE_STACK_TRACE=1 for its tests);
// - no built-in CloudFormation validation (`builtinCloudFormationValidation: false`, the
//   same as `cdk synth --no-validation` or CDK_VALIDATION=false). This one goes beyond
//   today's integ-runner, which leaves it on; but cdk-appflow's snapshots are synthesized
//   with aws-cdk-lib 2.211.0 (its devDependency), which has no such pass (the bundled
//   @aws/cloudformation-validate WebAssembly engine came later), and it writes only
//   validation-report.json, never the template. It is most of synth.js's time.
//
// No feature flags are set (cdk-appflow has no cdk.json), so the Resources are synth.js's.
// Usage: node synth-lean.js N OUT_DIR   (run by scripts/bench-vs-cdk.py)
const count = Number.parseInt(process.argv[2], 10);
const outdir = process.argv[3];

const cdk = require('aws-cdk-lib');
const s3 = require('aws-cdk-lib/aws-s3');
const secretsmanager = require('aws-cdk-lib/aws-secretsmanager');
const appflow = require('@cdklabs/cdk-appflow');

const secretArn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:appflow/sf-AbCdEf';
const app = new cdk.App({
  outdir,
  treeMetadata: false,
  analyticsReporting: false,
  stackTraces: false,
  builtinCloudFormationValidation: false,
  context: {
    'aws:cdk:enable-path-metadata': false,
    'aws:cdk:enable-asset-metadata': false,
    'aws:cdk:disable-version-reporting': true,
    'aws:cdk:disable-creation-stack-traces': true,
  },
});
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
