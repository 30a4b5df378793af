// go-cfclient-promote continues an app's canary once with github.com/cloudfoundry/go-cfclient/v3,
// a second client library run against the simulator in test/cli/go-cfclient.test.ts:
// it logs in with a password grant at the root document's `uaa` link (where the cf CLI uses
// `login`), finds the org, the space, the app and its newest ACTIVE deployment, continues it,
// and polls it until it is no longer DEPLOYING. It prints one JSON line with what it saw.
//
//	go-cfclient-promote -api URL -user NAME -password PASS -org ORG -space SPACE -app APP
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/cloudfoundry/go-cfclient/v3/client"
	"github.com/cloudfoundry/go-cfclient/v3/config"
	"github.com/cloudfoundry/go-cfclient/v3/resource"
)

type step struct {
	Reason string `json:"reason"`
	Step   int    `json:"step"`
	Total  int    `json:"total"`
}

type result struct {
	Deployment string `json:"deployment"`
	Before     step   `json:"before"`
	After      step   `json:"after"`
	Polls      int    `json:"polls"`
}

func stepOf(d *resource.Deployment) step {
	s := step{Reason: d.Status.Reason}
	if d.Status.Canary != nil && d.Status.Canary.Steps != nil {
		s.Step, s.Total = d.Status.Canary.Steps.Current, d.Status.Canary.Steps.Total
	}
	return s
}

func run(api, user, password, org, space, app string, poll time.Duration, maxPolls int) (*result, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cfg, err := config.New(api, config.UserPassword(user, password))
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	cf, err := client.New(cfg)
	if err != nil {
		return nil, fmt.Errorf("client: %w", err)
	}
	o, err := cf.Organizations.First(ctx, &client.OrganizationListOptions{
		ListOptions: client.NewListOptions(), Names: client.Filter{Values: []string{org}}})
	if err != nil {
		return nil, fmt.Errorf("org %s: %w", org, err)
	}
	s, err := cf.Spaces.First(ctx, &client.SpaceListOptions{ListOptions: client.NewListOptions(),
		Names: client.Filter{Values: []string{space}}, OrganizationGUIDs: client.Filter{Values: []string{o.GUID}}})
	if err != nil {
		return nil, fmt.Errorf("space %s: %w", space, err)
	}
	a, err := cf.Applications.First(ctx, &client.AppListOptions{ListOptions: client.NewListOptions(),
		Names: client.Filter{Values: []string{app}}, SpaceGUIDs: client.Filter{Values: []string{s.GUID}}})
	if err != nil {
		return nil, fmt.Errorf("app %s: %w", app, err)
	}
	list := &client.DeploymentListOptions{ListOptions: client.NewListOptions(),
		AppGUIDs: client.Filter{Values: []string{a.GUID}}, StatusValues: client.Filter{Values: []string{"ACTIVE"}}}
	list.OrderBy = "-created_at"
	d, err := cf.Deployments.First(ctx, list)
	if err != nil {
		return nil, fmt.Errorf("active deployment of %s: %w", app, err)
	}
	out := &result{Deployment: d.GUID, Before: stepOf(d)}
	if err := cf.Deployments.Continue(ctx, d.GUID); err != nil {
		return nil, fmt.Errorf("continue %s: %w", d.GUID, err)
	}
	for out.Polls < maxPolls {
		time.Sleep(poll)
		out.Polls++
		d, err = cf.Deployments.Get(ctx, out.Deployment)
		if err != nil {
			return nil, fmt.Errorf("get %s: %w", out.Deployment, err)
		}
		if d.Status.Reason != "DEPLOYING" {
			out.After = stepOf(d)
			return out, nil
		}
	}
	return nil, errors.New("the deployment was still DEPLOYING after the last poll")
}

func main() {
	api := flag.String("api", "", "Cloud Controller URL")
	user := flag.String("user", "", "user name")
	password := flag.String("password", "", "password")
	org := flag.String("org", "", "organization name")
	space := flag.String("space", "", "space name")
	app := flag.String("app", "", "app name")
	poll := flag.Duration("poll", 200*time.Millisecond, "time between two reads")
	maxPolls := flag.Int("max-polls", 100, "reads before giving up")
	flag.Parse()
	out, err := run(*api, *user, *password, *org, *space, *app, *poll, *maxPolls)
	if err != nil {
		fmt.Fprintln(os.Stderr, "go-cfclient-promote:", err)
		os.Exit(1)
	}
	line, _ := json.Marshal(out)
	fmt.Println(string(line))
}
