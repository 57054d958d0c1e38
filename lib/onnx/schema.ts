import protobuf from 'protobufjs/light.js';

// The part of onnx/onnx.proto (ONNX 1.12, IR 8) that an exported model uses, as a protobufjs descriptor:
// field numbers exactly as in onnx.proto; fields tensile never writes are left out (a reader skips what
// it does not know, and never needs what is absent). Enum-typed fields are declared int32: same varint.

const f = (id: number, type: string, rule?: 'repeated') => (rule ? { id, type, rule } : { id, type });

const ONNX = {
  nested: {
    onnx: {
      nested: {
        AttributeProto: {
          fields: {
            name: f(1, 'string'),
            type: f(20, 'int32'),
            f: f(2, 'float'),
            i: f(3, 'int64'),
            s: f(4, 'bytes'),
            t: f(5, 'TensorProto'),
            floats: f(7, 'float', 'repeated'),
            ints: f(8, 'int64', 'repeated'),
            strings: f(9, 'bytes', 'repeated'),
          },
        },
        ValueInfoProto: { fields: { name: f(1, 'string'), type: f(2, 'TypeProto') } },
        NodeProto: {
          fields: {
            input: f(1, 'string', 'repeated'),
            output: f(2, 'string', 'repeated'),
            name: f(3, 'string'),
            opType: f(4, 'string'),
            domain: f(7, 'string'),
            attribute: f(5, 'AttributeProto', 'repeated'),
          },
        },
        ModelProto: {
          fields: {
            irVersion: f(1, 'int64'),
            opsetImport: f(8, 'OperatorSetIdProto', 'repeated'),
            producerName: f(2, 'string'),
            producerVersion: f(3, 'string'),
            docString: f(6, 'string'),
            graph: f(7, 'GraphProto'),
          },
        },
        GraphProto: {
          fields: {
            node: f(1, 'NodeProto', 'repeated'),
            name: f(2, 'string'),
            initializer: f(5, 'TensorProto', 'repeated'),
            input: f(11, 'ValueInfoProto', 'repeated'),
            output: f(12, 'ValueInfoProto', 'repeated'),
          },
        },
        TensorProto: {
          fields: {
            dims: f(1, 'int64', 'repeated'),
            dataType: f(2, 'int32'),
            name: f(8, 'string'),
            rawData: f(9, 'bytes'),
          },
        },
        TensorShapeProto: {
          fields: { dim: f(1, 'Dimension', 'repeated') },
          nested: {
            Dimension: {
              oneofs: { value: { oneof: ['dimValue', 'dimParam'] } },
              fields: { dimValue: f(1, 'int64'), dimParam: f(2, 'string') },
            },
          },
        },
        TypeProto: {
          fields: { tensorType: f(1, 'Tensor') },
          nested: { Tensor: { fields: { elemType: f(1, 'int32'), shape: f(2, 'TensorShapeProto') } } },
        },
        OperatorSetIdProto: { fields: { domain: f(1, 'string'), version: f(2, 'int64') } },
      },
    },
  },
};

const root = protobuf.Root.fromJSON(ONNX);
const type = (name: string) => root.lookupType(`onnx.${name}`);

/** The message types the writer encodes. */
export const proto = {
  model: type('ModelProto'),
  graph: type('GraphProto'),
  tensor: type('TensorProto'),
};

/** Field numbers the writer frames by hand, so that weights go to the file without a copy. */
export const FIELD = { modelGraph: 7, graphInitializer: 5, tensorRawData: 9 } as const;

/** TensorProto.DataType and AttributeProto.AttributeType values. */
export const DATA_TYPE = { float: 1, int64: 7 } as const;
export const ATTRIBUTE_TYPE = { float: 1, int: 2, string: 3, floats: 6, ints: 7, strings: 8 } as const;

export { protobuf };
