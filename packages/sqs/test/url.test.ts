import { describe, expect, it } from 'vitest';
import { parseSqsUrl, redactSqsUrl } from '../src/url.js';

describe('sqs:// URLs', () => {
  it('reads region, endpoint and credential parameters', () => {
    expect(
      parseSqsUrl('sqs://?region=us-east-1&endpoint=http://127.0.0.1:4566&accessKeyId=AK&secretAccessKey=SK'),
    ).toEqual({
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:4566',
      snsEndpoint: 'http://127.0.0.1:4566',
      credentials: { accessKeyId: 'AK', secretAccessKey: 'SK' },
    });
  });

  it('leaves everything to the AWS chain when nothing is given', () => {
    expect(parseSqsUrl('sqs://')).toEqual({});
    expect(parseSqsUrl('sqs://?region=eu-west-1')).toEqual({ region: 'eu-west-1' });
  });

  it('takes a host as the endpoint, with user-info credentials', () => {
    expect(parseSqsUrl('sqs://AK:S%2FK@localhost:4566?region=us-east-1&tls=false')).toEqual({
      region: 'us-east-1',
      endpoint: 'http://localhost:4566',
      snsEndpoint: 'http://localhost:4566',
      credentials: { accessKeyId: 'AK', secretAccessKey: 'S/K' },
    });
    expect(parseSqsUrl('sqs://vpce.example.com').endpoint).toBe('https://vpce.example.com');
  });

  it('accepts a separate SNS endpoint and a session token', () => {
    const options = parseSqsUrl(
      'sqs://?endpoint=http://a:1&snsEndpoint=http://b:2&accessKeyId=A&secretAccessKey=S&sessionToken=T',
    );
    expect(options.snsEndpoint).toBe('http://b:2');
    expect(options.credentials).toEqual({ accessKeyId: 'A', secretAccessKey: 'S', sessionToken: 'T' });
  });

  it.each([
    ['sqs://?regoin=us-east-1', /unknown parameter "regoin"/],
    ['sqs://?endpoint=ftp://x', /endpoint must be an http/],
    ['sqs://?accessKeyId=A', /both an access key id and a secret/],
    ['sqs://?tls=maybe', /tls must be/],
    ['sqs://h:1?endpoint=http://x', /either as the host or as \?endpoint/],
    ['sqs://?region=US_EAST', /not a region name/],
    ['sqs://?secretKey=hunter2', /unknown parameter "secretKey"/],
    ['sqs:/AK:hunter2@h', /must start with "sqs:\/\/"/],
  ])('rejects %s', (url, message) => {
    expect(() => parseSqsUrl(url)).toThrow(message);
  });

  it('never shows secrets in messages', () => {
    const url = 'sqs://AK:topsecret@h:1?secretAccessKey=topsecret&sessionToken=tok&region=x';
    expect(redactSqsUrl(url)).not.toMatch(/topsecret|tok(?!en)/);
    expect(redactSqsUrl(url)).toContain('secretAccessKey=***');
    let message = '';
    try {
      parseSqsUrl('sqs://?secretAccessKey=topsecret&bogus=1');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/unknown parameter "bogus"/);
    expect(message).not.toContain('topsecret');
  });

  it('treats a percent-encoded parameter name as the parameter itself, secret included', () => {
    const url = 'sqs://?accessKeyId=A&%73ecretAccessKey=hunter2&region=x';
    expect(parseSqsUrl(url).credentials).toEqual({ accessKeyId: 'A', secretAccessKey: 'hunter2' });
    expect(redactSqsUrl(url)).not.toContain('hunter2');
  });
});
