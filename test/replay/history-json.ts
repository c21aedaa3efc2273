import * as proto from '@temporalio/proto';
import { patchProtobufRoot } from '@temporalio/proto/lib/patch-protobuf-root';

/**
 * Histories as the proto3 JSON files Temporal's tools write (`temporal workflow show --output json`,
 * the UI's download). The SDK's own historyToJSON/historyFromJSON are not used: with the installed
 * tree, @temporalio/common gets a second copy of protobufjs whose protojson refuses the message types
 * of @temporalio/proto's copy ("type must be a Type"). The protojson of the copy @temporalio/proto
 * uses, resolved from it, works in either layout.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const protojson = require(require.resolve('protobufjs/ext/protojson', { paths: [require.resolve('@temporalio/proto')] })) as {
  toJson(type: unknown, message: unknown): unknown;
  fromJson(type: unknown, json: unknown, options?: { ignoreUnknownFields?: boolean }): unknown;
};
const historyType = (patchProtobufRoot(proto) as unknown as { lookupType(name: string): unknown }).lookupType('temporal.api.history.v1.History');

export type History = proto.temporal.api.history.v1.IHistory;

export function historyToJson(history: History): unknown {
  return protojson.toJson(historyType, proto.temporal.api.history.v1.History.fromObject(history));
}

/** A history decoded from its JSON file (event ids as Long, as runReplayHistories expects them decoded). */
export function historyFromJson(json: unknown): History {
  return protojson.fromJson(historyType, json, { ignoreUnknownFields: true }) as History;
}
