// AAD for secrets wrapped under the root key: what is wrapped, and for which row, so a wrapped
// blob copied onto another key or access key fails to unwrap.

export function keyMaterialAad(keyArn: string, materialId: string): Buffer {
  return Buffer.from(`kms-server/v1/key-material\n${keyArn}\n${materialId}`, 'utf8');
}

export function accessKeySecretAad(accessKeyId: string): Buffer {
  return Buffer.from(`kms-server/v1/access-key-secret\n${accessKeyId}`, 'utf8');
}
