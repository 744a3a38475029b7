package lifecycle

import (
	"go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/temporal"
)

// The custom search attributes staff filter on in the Web UI, for example
// GuestStage = "NeedsAttention" AND BranchId = "rome". None carries personal
// data: the Web UI shows them unencoded.
var (
	GuestStageKey  = temporal.NewSearchAttributeKeyKeyword("GuestStage")
	BranchIDKey    = temporal.NewSearchAttributeKeyKeyword("BranchId")
	ArrivalDateKey = temporal.NewSearchAttributeKeyTime("ArrivalDate")
	StuckReasonKey = temporal.NewSearchAttributeKeyKeyword("StuckReason")
	// CardNumbers on an Account holds its cards' numbers and barcode tracks,
	// so a scan finds its account. They are Passquare's, not personal data.
	CardNumbersKey = temporal.NewSearchAttributeKeyKeywordList("CardNumbers")
)

// SearchAttributes lists every custom search attribute with its type, for
// registration on a namespace (the dev stack and `starter setup` do it).
var SearchAttributes = map[string]enums.IndexedValueType{
	GuestStageKey.GetName():  enums.INDEXED_VALUE_TYPE_KEYWORD,
	BranchIDKey.GetName():    enums.INDEXED_VALUE_TYPE_KEYWORD,
	ArrivalDateKey.GetName(): enums.INDEXED_VALUE_TYPE_DATETIME,
	StuckReasonKey.GetName(): enums.INDEXED_VALUE_TYPE_KEYWORD,
	CardNumbersKey.GetName(): enums.INDEXED_VALUE_TYPE_KEYWORD_LIST,
}
