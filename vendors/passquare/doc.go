// Package passquare is the client for Passquare, which issues the guests'
// Apple and Google Wallet loyalty cards, and the types of the hooks Passquare
// sends to guestflow when a guest installs a card or a balance is asked for.
//
// Passquare authenticates with the hotel group's private app_key inside
// every JSON body, wants phones in E.164, birthdays as dd.mm.yyyy and
// amounts as decimal strings, and allows one request per second per key.
package passquare
