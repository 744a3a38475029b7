// Package mews is guestflow's client for the Mews Connector API: finding a
// guest's customer profile, creating or updating it, and keeping the guest's
// identity documents in Mews in step with what PassportScan read.
//
// Every operation is a POST of a JSON body that carries the integration's
// ClientToken, the enterprise's AccessToken and the client name. One Client
// talks to one enterprise (hotel); ForEnterprise shares the rest of the
// configuration between the branches of a hotel group.
package mews
