package testmodel

import (
	"encoding/binary"
	"math"

	"google.golang.org/protobuf/encoding/protowire"
)

// Field numbers from onnx/onnx.proto (ONNX IR, release 1.14 and later; the
// numbers have been stable since IR version 3).
const (
	// ModelProto
	modelIRVersion       = 1
	modelProducerName    = 2
	modelProducerVersion = 3
	modelGraph           = 7
	modelOpsetImport     = 8
	modelMetadataProps   = 14

	// OperatorSetIdProto
	opsetDomain  = 1
	opsetVersion = 2

	// StringStringEntryProto
	entryKey   = 1
	entryValue = 2

	// GraphProto
	graphNode        = 1
	graphName        = 2
	graphInitializer = 5
	graphInput       = 11
	graphOutput      = 12

	// NodeProto
	nodeInput     = 1
	nodeOutput    = 2
	nodeName      = 3
	nodeOpType    = 4
	nodeAttribute = 5

	// AttributeProto
	attrName = 1
	attrInts = 8
	attrType = 20
	// AttributeProto.AttributeType INTS
	attrTypeInts = 7

	// TensorProto
	tensorDims     = 1
	tensorDataType = 2
	tensorName     = 8
	tensorRawData  = 9
	// TensorProto.DataType FLOAT
	dataTypeFloat = 1

	// ValueInfoProto
	valueInfoName = 1
	valueInfoType = 2

	// TypeProto and TypeProto.Tensor
	typeTensorType  = 1
	tensorElemType  = 1
	tensorTypeShape = 2

	// TensorShapeProto and TensorShapeProto.Dimension
	shapeDim = 1
	dimValue = 1
	dimParam = 2
)

// message accumulates the wire encoding of one protobuf message.
type message struct{ b []byte }

func (m *message) varint(field protowire.Number, v uint64) {
	m.b = protowire.AppendTag(m.b, field, protowire.VarintType)
	m.b = protowire.AppendVarint(m.b, v)
}

func (m *message) bytes(field protowire.Number, v []byte) {
	m.b = protowire.AppendTag(m.b, field, protowire.BytesType)
	m.b = protowire.AppendBytes(m.b, v)
}

func (m *message) str(field protowire.Number, v string) { m.bytes(field, []byte(v)) }

func (m *message) msg(field protowire.Number, sub message) { m.bytes(field, sub.b) }

// packedInt64s writes a packed repeated int64 field (proto3 default packing).
func (m *message) packedInt64s(field protowire.Number, vs []int64) {
	var p []byte
	for _, v := range vs {
		p = protowire.AppendVarint(p, uint64(v))
	}
	m.bytes(field, p)
}

func node(name, op string, inputs, outputs []string, attrs ...message) message {
	var n message
	for _, s := range inputs {
		n.str(nodeInput, s)
	}
	for _, s := range outputs {
		n.str(nodeOutput, s)
	}
	n.str(nodeName, name)
	n.str(nodeOpType, op)
	for _, a := range attrs {
		n.msg(nodeAttribute, a)
	}
	return n
}

func intsAttr(name string, vs ...int64) message {
	var a message
	a.str(attrName, name)
	a.packedInt64s(attrInts, vs)
	a.varint(attrType, attrTypeInts)
	return a
}

// floatTensor writes a FLOAT initializer using raw_data, which onnx.proto
// specifies as little-endian IEEE 754 regardless of host byte order.
func floatTensor(name string, dims []int64, data []float32) message {
	var t message
	t.packedInt64s(tensorDims, dims)
	t.varint(tensorDataType, dataTypeFloat)
	t.str(tensorName, name)
	raw := make([]byte, 4*len(data))
	for i, v := range data {
		binary.LittleEndian.PutUint32(raw[4*i:], math.Float32bits(v))
	}
	t.bytes(tensorRawData, raw)
	return t
}

// valueInfo declares a FLOAT tensor of rank len(dims); each dim is either an
// int (fixed size) or a string (symbolic dim_param).
func valueInfo(name string, dims ...any) message {
	var shape message
	for _, d := range dims {
		var dim message
		switch d := d.(type) {
		case int:
			dim.varint(dimValue, uint64(d))
		case string:
			dim.str(dimParam, d)
		}
		shape.msg(shapeDim, dim)
	}
	var tt message
	tt.varint(tensorElemType, dataTypeFloat)
	tt.msg(tensorTypeShape, shape)
	var typ message
	typ.msg(typeTensorType, tt)
	var v message
	v.str(valueInfoName, name)
	v.msg(valueInfoType, typ)
	return v
}
