package piicheck

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestIn(t *testing.T) {
	doc := []byte(`{"customer": {"name": "Johnathan", "phone": 420000000001, "email": "joe@passquare.com",
		"cards": ["1234567"], "deviceName": "x", "firstName": "firstName", "appScanId": "scan-000001"}, "sum": "50.00",
		"additionalProperties": {"5cb1a40ac68f80.15012600": "ex@example.com"}}`)
	v := Find(doc)
	require.ElementsMatch(t, []string{"Johnathan", "420000000001"},
		v.In(`refused Johnathan at 420000000001, card 1234567, scan-000001, field firstName`))
	require.Empty(t, v.In(`phone: required`))
	require.Equal(t, []string{"ex@example.com"}, v.In("to ex@example.com"))
	require.Empty(t, Find([]byte(`not json`)).In("not json"))
	require.Equal(t, []string{"joe@passquare.com"}, v.In("mail joe@passquare.com"))
	// Found by FuzzPasscreatorAnswers: a name that is part of the code's
	// own words is not repeated data; the same name as a word is.
	ration := Find([]byte(`{"nAme":"ration"}`))
	require.Empty(t, ration.In(`endpoint="GET /api/appscan/list/{appConfigurationId}"`))
	require.Equal(t, []string{"ration"}, ration.In(`msg="refused ration"`))
}
