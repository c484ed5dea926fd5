// InitProducerId (key 22), versions 0-1.
//
// InitProducerId Request (Version: 0-1) => transactional_id transaction_timeout_ms
//
// InitProducerId Response (Version: 0-1) => throttle_time_ms error_code producer_id
//   producer_epoch

import { ApiKey, type Codec } from './codec';

export interface InitProducerIdRequest {
  transactionalId: string | null;
}

export interface InitProducerIdResponse {
  errorCode: number;
  producerId: number;
  producerEpoch: number;
}

export const initProducerIdCodec: Codec<InitProducerIdRequest, InitProducerIdResponse> = {
  apiKey: ApiKey.InitProducerId,
  name: 'InitProducerId',
  minVersion: 0,
  maxVersion: 1,
  decodeRequest(r) {
    const transactionalId = r.nullableString();
    r.int32();
    return { transactionalId };
  },
  encodeResponse(w, _version, res) {
    w.int32(0).int16(res.errorCode).int64(res.producerId).int16(res.producerEpoch);
  },
};
